#include "attacks/gradient_ascent.h"

#include "attacks/norm_ball.h"

namespace robustlab {

torch::Tensor gradient_ascent(const Victim& victim, const torch::Tensor& x, const torch::Tensor& y,
                              const AttackSpec& spec, at::Generator&) {
  const torch::Tensor grad = input_gradient(victim, x, y);
  // ∇/‖∇‖₂ per example (steepest ascent in ℓ2), α long, then the nearest point of the ℓ∞ ball.
  torch::Tensor delta = spec.step() * steepest_ascent(grad, Norm::L2);
  project_to_ball_(delta, spec.eps, Norm::Linf);
  return clamp_to_box(x + delta, victim.box);
}

}  // namespace robustlab
