// The empirical NTK through explicit per-example Jacobians, the reference every faster path is
// checked against, and the path for any model (convolutions, residual blocks, ...):
//     J[i, a, :] = ∂f_a(x_i)/∂θ   (all parameters flattened, P = |θ|),
//     Θ[i, a, j, b] = ⟨J[i, a], J'[j, b]⟩.
// Each example is run on its own (a batch of one) and differentiated once per output: n forwards and
// n·c backward passes, and n·c·P numbers of memory. Call the model in eval mode.
#pragma once
#include <ATen/core/Tensor.h>
#include <vector>

#include "attacks/attack.h"
#include "probes/ntk/ntk_form.h"

namespace robustlab {

// J [n, c, P] of forward (output [n] or [n, c]) with respect to `parameters`, in their order.
at::Tensor per_example_jacobian(const Forward& forward, const std::vector<at::Tensor>& parameters, const at::Tensor& x);

// Θ = J1 J2ᵀ in the given form; J1 [n, c, P], J2 [n', c, P].
at::Tensor contract_jacobians(const at::Tensor& j1, const at::Tensor& j2, NtkForm form);

// Θ(x1, x2) of forward with respect to `parameters`; Θ(x, x) costs one Jacobian.
at::Tensor jacobian_ntk(const Forward& forward, const std::vector<at::Tensor>& parameters, const at::Tensor& x1,
                        const at::Tensor& x2, NtkForm form);
at::Tensor jacobian_ntk(const Forward& forward, const std::vector<at::Tensor>& parameters, const at::Tensor& x,
                        NtkForm form);

}  // namespace robustlab
