// The feature-averaging paper's binary network: m hidden ReLU units vote for +1 and m for −1,
//     f(x) = s · Σ_{r≤m} ReLU(⟨w_{+,r}, x⟩ + b_{+,r}) − s · Σ_{r≤m} ReLU(⟨w_{−,r}, x⟩ + b_{−,r}),
// with the second layer fixed (s = 1, or s = 1/m for a mean readout) and only W (and b) trained.
// W starts at N(0, init_std²) entries, b at 0.
#pragma once
#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "config/fields.h"

namespace robustlab {

struct TwoLayerReluOptions {
  int64_t input_dim = 0;
  int64_t width = 5;        // m, units per sign
  double init_std = 1e-5;
  bool bias = true;         // trainable per-unit bias (else none)
  bool mean_readout = false;  // s = 1/m instead of 1

  void fields(Fields& f) {  // input_dim comes from the data
    f.field("width", width, "m: hidden units per sign", {1});
    f.field("init_std", init_std, "std of the first-layer weights at init", {0});
    f.field("bias", bias, "trainable per-unit bias, starting at 0");
    f.choice<bool>("readout", mean_readout, {{"sum", false}, {"mean", true}},
                   "second layer +-1 (sum) or +-1/m (mean, lr scaled by m)");
  }
};

class TwoLayerReluImpl : public torch::nn::Module {
 public:
  TwoLayerReluImpl(const TwoLayerReluOptions& options, at::Generator& generator);
  torch::Tensor forward(const torch::Tensor& x);  // [n, d] -> [n]

  // Rows 0..m−1 are w_{+,r}, rows m..2m−1 are w_{−,r}.
  torch::Tensor weight;        // [2m, d]
  torch::Tensor bias;          // [2m], undefined when options.bias is false
  torch::Tensor second_layer;  // buffer [2m]: +s then −s
};
TORCH_MODULE(TwoLayerRelu);

}  // namespace robustlab
