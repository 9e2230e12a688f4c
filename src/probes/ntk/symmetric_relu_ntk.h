// The NTK of the symmetric-bias two-layer net (models/two_layer/symmetric_relu.h) in closed form.
// Only W is trained and ∂f/∂w_i = 1(|⟨w_i, x⟩| > b_i) x, so
//     Θ(x, x') = Σ_i 1(|⟨w_i, x⟩| > b_i) 1(|⟨w_i, x'⟩| > b_i) ⟨x, x'⟩ = ⟨x, x'⟩ · (D(x) D(x')ᵀ),
// D(x) [n, m] the neurons each input switches on. The indicators are piecewise constant in x, so
// the kernel is differentiable in x through ⟨x, x'⟩ (its gradient is that of a ReLU net: zero
// across a switch, exact elsewhere): kernel regression with it can be attacked by PGD.
#pragma once
#include <ATen/core/Tensor.h>

#include "models/two_layer/symmetric_relu.h"

namespace robustlab {

// x1 [n1, d], x2 [n2, d] -> [n1, n2], at the net's current weights.
at::Tensor symmetric_relu_ntk(const SymmetricRelu& net, const at::Tensor& x1, const at::Tensor& x2);

}  // namespace robustlab
