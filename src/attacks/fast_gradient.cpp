// x_adv = x + ε · argmax_{‖v‖≤1} ⟨∇_x L(x, y), v⟩ = x + ε·sign(∇) (ℓ∞) or x + ε·∇/‖∇‖₂ (ℓ2).
// For a linear model this is the exact worst case; for a curved one it is the first-order guess
// that PGD refines, so PGD at the same ε should never do worse (a check for gradient masking).
#include "attacks/fast_gradient.h"

#include "attacks/norm_ball.h"

namespace robustlab {
namespace {
torch::Tensor one_step(const Victim& victim, const torch::Tensor& x, const torch::Tensor& y,
                       double eps, Norm norm) {
  const torch::Tensor grad = input_gradient(victim, x, y);
  return clamp_to_box(x + eps * steepest_ascent(grad, norm), victim.box);
}
}  // namespace

torch::Tensor fgsm(const Victim& v, const torch::Tensor& x, const torch::Tensor& y,
                   const AttackSpec& spec, at::Generator&) {
  return one_step(v, x, y, spec.eps, Norm::Linf);
}

torch::Tensor fgm(const Victim& v, const torch::Tensor& x, const torch::Tensor& y,
                  const AttackSpec& spec, at::Generator&) {
  return one_step(v, x, y, spec.eps, Norm::L2);
}

}  // namespace robustlab
