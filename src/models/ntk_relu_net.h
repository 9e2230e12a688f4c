// A fully connected ReLU network in the NTK parameterisation, the finite-width network whose
// infinite-width kernel is probes/ntk/infinite_relu_ntk.h:
//     h¹ = σ_w W¹ x / √d + σ_b b¹,   h^{l+1} = σ_w W^{l+1} ReLU(h^l) / √m + σ_b b^{l+1},
//     f(x) = h^{L+1}  (one output, a binary score [n]),
// every entry of W and b drawn from N(0, 1). Trained with a learning rate of order one, its
// weights move by O(1/√m) each: as m grows it stays in the lazy (kernel) regime, and gradient
// descent on the squared loss follows the kernel predictor of its NTK, plus the random function
// f_0 it started from. Centred (Chizat et al. 2019), the net is f(x) − f_{θ_0}(x) with a frozen copy
// of its initial weights: it starts at 0, as the kernel predictor does, and has the same NTK
// (the copy has no trainable parameters).
#pragma once
#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <vector>

#include "probes/ntk/infinite_relu_ntk.h"

namespace robustlab {

struct NtkReluNetOptions {
  int64_t inputs = 0;        // d (the input is flattened)
  int64_t width = 1024;      // m
  ReluNtkOptions kernel;     // L hidden layers, σ_w, σ_b
  bool centred = false;      // subtract the initial function
};

class NtkReluNetImpl : public torch::nn::Module {
 public:
  NtkReluNetImpl(const NtkReluNetOptions& options, at::Generator& generator);
  torch::Tensor forward(const torch::Tensor& x);  // [n, ...] -> [n]

  NtkReluNetOptions options;
  std::vector<torch::Tensor> weights;  // W^l [out, in]
  std::vector<torch::Tensor> biases;   // b^l [out]
  std::vector<torch::Tensor> initial_weights, initial_biases;  // buffers, when centred
};
TORCH_MODULE(NtkReluNet);

}  // namespace robustlab
