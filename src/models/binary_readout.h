// Reading a C-class classifier as a binary one, by comparing the probability mass of the classes
// merged into +1 (J+) with that of the rest (J−):
//     g(x) = log P(J+ | x) − log P(J− | x) = logsumexp_{j∈J+} z_j(x) − logsumexp_{j∈J−} z_j(x).
// g > 0 exactly when the softmax puts more mass on J+; the feature-averaging paper's readout.
#pragma once
#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/any.h>
#include <torch/nn/pimpl.h>

namespace robustlab {

// logits [n, C], positive [C] bool (true for j ∈ J+) -> [n]
at::Tensor binary_readout(const at::Tensor& logits, const at::Tensor& positive);

// A C-class classifier read out as binary: the module the attacks and probes see.
class BinaryReadoutImpl : public torch::nn::Module {
 public:
  // positive: [C] bool, the classes read as +1.
  BinaryReadoutImpl(torch::nn::AnyModule classifier, const at::Tensor& positive);
  torch::Tensor forward(const torch::Tensor& x);  // [n, ...] -> [n]

  torch::nn::AnyModule classifier;
  torch::Tensor positive;  // buffer [C] bool
};
TORCH_MODULE(BinaryReadout);

}  // namespace robustlab
