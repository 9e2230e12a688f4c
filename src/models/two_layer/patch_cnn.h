// The two-layer convolutional network of the patch-structured theory (Li & Li): one output per
// class c, a sum over its m filters and over the P patches,
//     F_c(X) = Σ_{r≤m} Σ_{p≤P} σ(⟨w_{c,r}, X_p⟩),
// with σ a smoothed ReLU or ReLU^q (models/two_layer/patch_activation.h), filters N(0, init_std²)
// and the second layer fixed at 1. Logits [n, C]; a binary task (labels ±1, two filter banks)
// reads out the score F_{+1}(X) − F_{−1}(X) [n].
#pragma once
#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "config/fields.h"
#include "models/two_layer/patch_activation.h"

namespace robustlab {

struct PatchCnnOptions {
  int64_t d = 0;        // patch dimension (from the data)
  int64_t classes = 2;  // from the data
  bool binary = false;  // from the data: a ±1 task, read out as F_{+1} − F_{−1}
  int64_t width = 16;   // m: filters per class
  std::string activation = "smoothed-relu";
  double q = 3;
  double rho = 1;  // smoothed ReLU: where it turns linear
  double init_std = 0.01;

  void fields(Fields& f) {
    f.field("width", width, "m: filters per class", {1, 1000000});
    f.field("activation", activation, "smoothed-relu (z^q near 0, linear beyond rho) or relu-power (max(z,0)^q)",
            patch_activations());
    f.field("q", q, "the activation's power near 0", {1, 10});
    f.field("rho", rho, "smoothed-relu: where it turns linear", {1e-6});
    f.field("init_std", init_std, "std of the filters at init", {0});
  }
};

class PatchCnnImpl : public torch::nn::Module {
 public:
  PatchCnnImpl(const PatchCnnOptions& options, at::Generator& generator);
  torch::Tensor forward(const torch::Tensor& x);  // [n, P, d] -> [n, C], or [n] for a binary task

  torch::Tensor weight;  // [C, m, d]: row (c, r) is w_{c,r}; for a binary task c = 0 is −1, c = 1 is +1
  PatchCnnOptions options;
};
TORCH_MODULE(PatchCnn);

}  // namespace robustlab
