// The empirical NTK of a robustlab model, Θ_ab(x, x') = Σ_θ ∂f_a(x)/∂θ · ∂f_b(x')/∂θ over its
// parameters that require grad, in the form asked for (ntk_form.h: per output [n, c, n', c], or the
// trace over outputs [n, n'], which for a binary model is the kernel of its single output).
// Two paths:
//   Structured: chains of dense and convolution layers (module_chain.h: MLPs and plain CNNs with
//     parameter-free steps between the layers, the image classifiers but ResNet, the two-layer
//     nets): per dense layer the Gram of its inputs times the Gram of its back-propagated signals,
//     per convolution its batched per-example gradients (structured_ntk.h); c backward passes of
//     the whole batch instead of n·c of single examples, no per-example Jacobians of the network.
//   Jacobian: explicit per-example Jacobians (jacobian_ntk.h); any model.
// Auto takes the structured path where the model can be read as a dense chain and falls back to
// Jacobians otherwise. A bare Forward (no module) goes through jacobian_ntk with its parameters.
// Call the model in eval mode: examples must not interact.
#pragma once
#include <ATen/core/Tensor.h>
#include <torch/nn/modules/container/any.h>

#include "probes/ntk/ntk_form.h"

namespace robustlab {

enum class NtkPath { Auto, Structured, Jacobian };

// Θ(x1, x2). Structured on a model that is not a dense chain is std::invalid_argument.
at::Tensor empirical_ntk(const torch::nn::AnyModule& model, const at::Tensor& x1, const at::Tensor& x2, NtkForm form,
                         NtkPath path = NtkPath::Auto);
// Θ(x, x).
at::Tensor empirical_ntk(const torch::nn::AnyModule& model, const at::Tensor& x, NtkForm form,
                         NtkPath path = NtkPath::Auto);

}  // namespace robustlab
