// The geometry every norm-bounded attack shares: per-example norms of a perturbation δ, the
// steepest-ascent direction for a norm, projection back onto the ε-ball, random starts, the box.
#pragma once
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <optional>

#include "attacks/attack.h"

namespace robustlab {

// Reshapes a per-example [n] tensor to [n, 1, ..., 1], to broadcast against an input like `like`.
at::Tensor per_example(const at::Tensor& values, const at::Tensor& like);

// ‖δ_i‖ over each example's flattened input: [n].
at::Tensor per_example_norm(const at::Tensor& delta, Norm norm);

// argmax_{‖v‖ ≤ 1} ⟨g, v⟩: sign(g) for ℓ∞, g/‖g‖₂ for ℓ2 (0 where g = 0).
at::Tensor steepest_ascent(const at::Tensor& grad, Norm norm);

// The closest point of the ε-ball, computed in place on delta: clamp to [−ε, ε] for ℓ∞; δ·min(1, ε/‖δ‖₂) for ℓ2.
at::Tensor project_to_ball_(at::Tensor delta, double eps, Norm norm);

// δ_0 on the ε-sphere or uniform in the ε-ball (for ℓ∞: the cube's corners, or uniform in it),
// or N(0, 0.001² I) for the jitter start.
// Drawn on CPU from the generator, then moved to like's device, so runs match across devices.
at::Tensor random_perturbation(const at::Tensor& like, double eps, Norm norm, RandomStart start,
                               at::Generator& generator);

// x + δ with every coordinate clamped into the box (which only shrinks |δ_i|, since x is in it).
at::Tensor clamp_to_box(const at::Tensor& x_adv, const std::optional<Box>& box);

// The point `point` pulled back to the ε-ball around x, then into the box.
at::Tensor project_to_ball_and_box(const at::Tensor& x, const at::Tensor& point, double eps, Norm norm,
                                   const std::optional<Box>& box);

}  // namespace robustlab
