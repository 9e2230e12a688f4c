// Which reduction over a model's outputs an empirical NTK is returned in. For a model with c
// outputs f(x) = (f_1(x), ..., f_c(x)) and parameters θ,
//     Θ_ab(x, x') = Σ_θ ∂f_a(x)/∂θ · ∂f_b(x')/∂θ.
#pragma once
#include <ATen/core/Tensor.h>

namespace robustlab {

enum class NtkForm {
  // Every pair of outputs: Θ[i, a, j, b] = Θ_ab(x_i, x'_j), shape [n, c, n', c]; reshape to
  // [n·c, n'·c] for the (example, output)-major matrix.
  PerOutput,
  // The trace over outputs: Θ[i, j] = Σ_a Θ_aa(x_i, x'_j), shape [n, n']. For a binary model
  // (one output, forward returning [n]) this is exactly the kernel of its single output.
  Trace,
};

// The requested form of a per-output kernel [n, c, n', c].
at::Tensor reduce_ntk(const at::Tensor& per_output, NtkForm form);

}  // namespace robustlab
