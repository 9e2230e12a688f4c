#include "data/images/label_maps.h"

#include "runtime/user_error.h"

namespace robustlab {

const std::vector<std::string>& label_map_kinds() {
  static const std::vector<std::string> kinds = {"classes", "halves", "parity", "list"};
  return kinds;
}

bool is_binary(const LabelMap& map) { return map.kind != "classes"; }

at::Tensor class_signs(const LabelMap& map, int64_t classes) {
  torch::Tensor signs = torch::full({classes}, -1, torch::kInt64);
  if (map.kind == "halves") {
    signs.slice(0, 0, classes / 2).fill_(1);
  } else if (map.kind == "parity") {
    signs.slice(0, 0, classes, 2).fill_(1);
  } else if (map.kind == "list") {
    if (map.positive.empty()) throw UserError("data.positive_classes: empty (labels = \"list\" needs at least one class)");
    for (int64_t c : map.positive) {
      if (c < 0 || c >= classes)
        throw UserError("data.positive_classes: class " + std::to_string(c) + " is out of range 0.." +
                        std::to_string(classes - 1));
      if (signs[c].item<int64_t>() == 1) throw UserError("data.positive_classes: class " + std::to_string(c) + " listed twice");
      signs[c] = 1;
    }
    if (static_cast<int64_t>(map.positive.size()) == classes)
      throw UserError("data.positive_classes: lists every class, leaving none for -1");
  } else {
    throw UserError("data.labels: '" + map.kind + "' is not a binary label map (halves, parity, list)");
  }
  return signs;
}

Dataset apply_label_map(const Dataset& data, const LabelMap& map, int64_t classes) {
  Dataset out = data;
  out.fine_labels = data.fine_labels.defined() ? data.fine_labels : data.labels;
  out.labels = is_binary(map) ? class_signs(map, classes).to(data.labels.device()).index_select(0, out.fine_labels)
                              : out.fine_labels;
  return out;
}

Dataset class_pair(const Dataset& data, int64_t positive, int64_t negative) {
  const at::Tensor classes = data.fine_labels.defined() ? data.fine_labels : data.labels;
  const at::Tensor keep = ((classes == positive) | (classes == negative)).nonzero().squeeze(1);
  Dataset out = data;
  out.inputs = data.inputs.index_select(0, keep);
  out.fine_labels = classes.index_select(0, keep);
  out.labels = torch::where(out.fine_labels == positive, 1, -1).to(torch::kInt64);
  return out;
}

}  // namespace robustlab
