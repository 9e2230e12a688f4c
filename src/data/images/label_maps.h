// The tasks a labelled image set can pose. "classes" keeps the class index (a C-class task);
// the others merge classes into a coarse binary task with labels ±1, keeping the class in
// fine_labels:
//   halves   classes 0 .. C/2−1 are +1, the rest −1
//   parity   even classes are +1, odd −1
//   list     the listed classes are +1, the rest −1
#pragma once
#include <ATen/core/Tensor.h>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace robustlab {

struct LabelMap {
  std::string kind = "classes";     // classes, halves, parity, list
  std::vector<int64_t> positive;    // list only
};

const std::vector<std::string>& label_map_kinds();
bool is_binary(const LabelMap& map);

// [C] int64: the binary label (±1) each class maps to. UserError for "classes", for a list that is
// empty, names a class twice or out of range, or covers every class.
at::Tensor class_signs(const LabelMap& map, int64_t classes);

// The same examples with labels mapped; fine_labels keep the class.
Dataset apply_label_map(const Dataset& data, const LabelMap& map, int64_t classes);

// The examples of two classes only, as a binary task: `positive` labelled +1, `negative` −1,
// fine_labels the class; in their order in `data` (labels must be class indices).
Dataset class_pair(const Dataset& data, int64_t positive, int64_t negative);

}  // namespace robustlab
