// Reading a robustlab module as a dense chain (dense_chain.h), for the structured NTK.
// Read: torch::nn::Sequential of Linear and Conv2d layers (zero padding, groups 1) and
// parameter-free modules (ReLU, Tanh, MaxPool2d, Flatten, ...; nested Sequentials too; at the top a
// subclass of Sequential with a Tensor forward, since AnyModule cannot hold a Sequential itself),
// the image classifier with an MLP or small-CNN extractor (normalise, extractor, linear output),
// TwoLayerRelu and DecoupledRelu (their fixed second layers are parameter-free maps), NtkReluNet,
// and BinaryReadout of any of these. Anything else (batch norm, a residual block, a module with
// parameters of another kind) is not read: std::nullopt, and empirical_ntk falls back to Jacobians.
#pragma once
#include <optional>
#include <torch/nn/modules/container/any.h>

#include "probes/ntk/dense_chain.h"

namespace robustlab {

std::optional<DenseChain> dense_chain_of(const torch::nn::AnyModule& model);

}  // namespace robustlab
