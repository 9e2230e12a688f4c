#pragma once
#include "attacks/attack.h"

namespace robustlab {

// One plain gradient-ascent step on the loss, projected onto the ℓ∞ ball (and the box):
//     x' = Π_{‖x'−x‖∞≤ε}( x + α · ∇_x L(x, y) / ‖∇_x L(x, y)‖₂ ).
// The theory papers' "one step of gradient ascent" (Li & Li): unlike FGSM, whose sign(∇) adds
// ε to every coordinate, it moves each coordinate in proportion to its gradient, so it removes a
// feature the loss depends on without stamping a fixed ±ε pattern on the input. α is the step's
// ℓ2 length before projection.
at::Tensor gradient_ascent(const Victim&, const at::Tensor&, const at::Tensor&, const AttackSpec&, at::Generator&);

}  // namespace robustlab
