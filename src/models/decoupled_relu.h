// The feature-averaging paper's "decoupled" multi-class network: one output per cluster, each the
// sum of its own h ReLU units (h = 1 in the paper), i.e. an identity second layer:
//     z_j(x) = Σ_{r≤h} ReLU(⟨w_{j,r}, x⟩ + b_{j,r}),     j = 1..k,
// trained with cross-entropy on the cluster id. Because unit j only ever helps output j, it has no
// reason to average features: it aligns with μ_j.
//
// BinaryReadout turns it into a binary classifier by comparing class probabilities
// (models/binary_readout.h): g(x) = log P(J+ | x) − log P(J− | x).
#pragma once
#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace robustlab {

struct DecoupledReluOptions {
  int64_t input_dim = 0;
  int64_t outputs = 10;         // k
  int64_t units_per_output = 1; // h
  double init_std = 1e-5;
  bool bias = true;
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

class BinaryReadoutImpl : public torch::nn::Module {
 public:
  // output_labels: [k] int64 in {−1, +1}, the binary label each output stands for.
  BinaryReadoutImpl(DecoupledRelu net, const torch::Tensor& output_labels);
  torch::Tensor forward(const torch::Tensor& x);  // [n, d] -> [n]

  DecoupledRelu net;
  torch::Tensor positive;  // buffer [k] bool
};
TORCH_MODULE(BinaryReadout);

}  // namespace robustlab
