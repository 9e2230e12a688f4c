// The two-layer network of "Feature Purification" (Allen-Zhu & Li): m neurons with a symmetric
// bias and a fixed second layer,
//     f(x) = Σ_{i≤m} [ReLU(⟨w_i, x⟩ − b_i) − ReLU(−⟨w_i, x⟩ − b_i)] = Σ_i soft_{b_i}(⟨w_i, x⟩),
// the soft-thresholding of each neuron's projection: a neuron ignores inputs whose projection is
// below b_i, so a small dense component of x does not reach the output, a sparse large one does.
// The threshold follows the neuron's scale, b_i = threshold · ‖w_i‖ (held fixed within a gradient
// step: a schedule, not a trained parameter), so that it means the same thing from the small
// initialisation to the end of training. W starts at N(0, init_std²) entries. With threshold 0
// and one neuron, f(x) = ⟨w, x⟩: logistic regression.
// The output is a binary score [n]; ∂f/∂w_i = 1(|⟨w_i, x⟩| > b_i) x, ∂f/∂x = Σ_i 1(...) w_i.
#pragma once
#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "config/fields.h"

namespace robustlab {

struct SymmetricReluOptions {
  int64_t input_dim = 0;  // from the data
  int64_t width = 256;    // m
  double init_std = 1e-4;
  double threshold = 0.2;  // b_i / ‖w_i‖

  void fields(Fields& f) {  // input_dim comes from the data
    f.field("width", width, "m: neurons", {1, 1000000});
    f.field("init_std", init_std, "std of the weights at init", {0});
    f.field("threshold", threshold, "symmetric bias relative to the neuron's norm: b_i = threshold * |w_i|", {0, 1});
  }
};

class SymmetricReluImpl : public torch::nn::Module {
 public:
  SymmetricReluImpl(const SymmetricReluOptions& options, at::Generator& generator);
  torch::Tensor forward(const torch::Tensor& x);  // [n, d] -> [n]
  torch::Tensor biases() const;                   // b [m], detached

  torch::Tensor weight;  // [m, d], row i is w_i
  double threshold;
};
TORCH_MODULE(SymmetricRelu);

}  // namespace robustlab
