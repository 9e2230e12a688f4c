// The empirical NTK of a dense chain (dense_chain.h) without per-example Jacobians. For a dense
// layer y = s_w · a Wᵀ + s_b · b, ∂f_a(x)/∂W = s_w · g_a(x) a(x)ᵀ with g_a = ∂f_a/∂y, so
//     Σ_W ∂f_a(x)/∂W · ∂f_b(x')/∂W = s_w² ⟨a(x), a(x')⟩ ⟨g_a(x), g_b(x')⟩,
//     Σ_b ∂f_a(x)/∂b · ∂f_b(x')/∂b = s_b² ⟨g_a(x), g_b(x')⟩,
// and per layer the kernel is (s_w² A Aᵀ + s_b²) ∘ (G Gᵀ): the Gram of the layer's inputs times the
// Gram of its back-propagated signals; Θ is the sum over layers. Cost: c backward passes per batch
// and, per layer, (n·c)(n'·c)·out products (n·n'·c·out for the trace), never n·c·|θ| memory.
// A convolution's weight is shared over positions, so its term is the contraction of its
// per-example gradients (few numbers: out·C·k·k), computed batched from the same trace.
#pragma once
#include <ATen/core/Tensor.h>

#include "probes/ntk/dense_chain.h"
#include "probes/ntk/ntk_form.h"

namespace robustlab {

// Θ(x1, x2) in the given form (ntk_form.h); x1 [n, ...], x2 [n', ...]. The chain must not mix
// examples (call modules in eval mode).
at::Tensor structured_ntk(const DenseChain& chain, const at::Tensor& x1, const at::Tensor& x2, NtkForm form);
// Θ(x, x), one traced forward.
at::Tensor structured_ntk(const DenseChain& chain, const at::Tensor& x, NtkForm form);

}  // namespace robustlab
