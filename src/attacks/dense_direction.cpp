// Against the linear classifier sign⟨u, x⟩ this is the optimal ℓ2 attack: y⟨u, x⟩ falls by
// exactly ε, so it breaks an example at ε = its margin |⟨w*, z⟩| / ‖w*‖, of order √(s/d).
// Against a network whose neurons are sparse combinations of atoms with a threshold b, its
// share along any one atom is ε/√d ≪ b and it does nothing; against neurons that carry a dense
// mixture γ_i u it lowers every one of them by ε γ_i: it measures exactly the dense mixtures.
#include "attacks/dense_direction.h"

#include "attacks/feature_average.h"

namespace robustlab {

torch::Tensor dense_direction(const Victim& victim, const torch::Tensor& x, const torch::Tensor& y,
                              const AttackSpec& spec, at::Generator&) {
  return against_class_direction(victim, x, y, spec.eps, "dense-direction",
                                 "a dictionary and dense teacher, as in the feature-purification study");
}

}  // namespace robustlab
