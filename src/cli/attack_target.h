// What `robustlab attack` attacks: a robustlab model file (its spec and task say how to rebuild it
// and which labels it predicts) or a TorchScript file saved from Python (models/torchscript_model.h,
// which says neither: the dataset comes from --data, the task is its classes). Either is checked
// against the test images before any attack: input shape, output count.
#pragma once
#include <string>
#include <torch/nn/modules/container/any.h>

#include "data/dataset.h"
#include "data/images/label_maps.h"

namespace robustlab {

struct AttackTarget {
  torch::nn::AnyModule model;  // in eval mode, on the device
  std::string kind;            // "robustlab" or "torchscript"
  std::string dataset;         // the one it was trained on, or --data
  LabelMap labels;             // the task's labels ("classes" for TorchScript)
};

// `data` is --data (required for TorchScript, which names no dataset). UserError naming the file.
AttackTarget load_attack_target(const std::string& path, const std::string& data, const c10::Device& device);

// UserError naming the file when the model does not take these inputs or does not answer with one
// output per class (one score for a binary task).
void check_fits(const AttackTarget& target, const std::string& path, const Dataset& test, int64_t classes);

}  // namespace robustlab
