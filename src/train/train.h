// The one training loop: gradient descent on the mean per-example loss (models/classification.h),
// full-batch ("gd", the theory papers' setting) or minibatch ("sgd"). Inputs can be replaced each
// step by a perturbation of the batch (adversarial training plugs in here, with any attack).
#pragma once
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <functional>
#include <string>
#include <vector>

#include "attacks/attack.h"

namespace torch::nn {
class Module;
}

namespace robustlab {

struct TrainOptions {
  std::string optimizer = "gd";  // "gd": full batch; "sgd": minibatches of batch_size
  double lr = 1e-3;
  int64_t steps = 100;
  int64_t batch_size = 128;  // sgd only
  double momentum = 0.0;
  // (x, y) -> inputs to take the step on; empty for standard training.
  std::function<at::Tensor(const at::Tensor&, const at::Tensor&)> perturb;
};

struct TrainLog {
  std::vector<double> loss;  // training loss at each step, before the step
};

TrainLog train(torch::nn::Module& model, const Forward& forward, const at::Tensor& inputs,
               const at::Tensor& labels, const TrainOptions& options, at::Generator& generator,
               const std::string& progress_label);

}  // namespace robustlab
