// The feature-averaging paper's "decoupled" multi-class network: one output per cluster, each the
// sum of its own h ReLU units (h = 1 in the paper), i.e. an identity second layer:
//     z_j(x) = Σ_{r≤h} ReLU(⟨w_{j,r}, x⟩ + b_{j,r}),     j = 1..k,
// trained with cross-entropy on the cluster id. Because unit j only ever helps output j, it has no
// reason to average features: it aligns with μ_j.
// models/binary_readout.h reads it as a binary classifier.
#pragma once
#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "config/fields.h"

namespace robustlab {

struct DecoupledReluOptions {
  int64_t input_dim = 0;
  int64_t outputs = 10;         // k
  int64_t units_per_output = 1; // h
  double init_std = 1e-5;
  bool bias = true;

  void fields(Fields& f) {  // input_dim and outputs come from the data
    f.field("units_per_cluster", units_per_output, "h: ReLU units per output", {1});
    f.field("init_std", init_std, "std of the first-layer weights at init", {0});
    f.field("bias", bias, "trainable per-unit bias, starting at 0");
  }
};

class DecoupledReluImpl : public torch::nn::Module {
 public:
  DecoupledReluImpl(const DecoupledReluOptions& options, at::Generator& generator);
  torch::Tensor forward(const torch::Tensor& x);  // [n, d] -> [n, k]

  torch::Tensor weight;  // [k·h, d], rows j·h .. j·h+h−1 belong to output j
  torch::Tensor bias;    // [k·h] or undefined
  int64_t outputs;
  int64_t units_per_output;
};
TORCH_MODULE(DecoupledRelu);

}  // namespace robustlab
