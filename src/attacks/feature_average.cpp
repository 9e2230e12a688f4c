// A binary net whose units have averaged the centres of their class computes, near the data,
//     f(x) ≈ c · ⟨u, x⟩,   u ∝ Σ_{j∈J+} μ_j − Σ_{j∈J−} μ_j,
// so the steepest way to lower y·f(x) is to move along −y·u. The margin of a point of cluster j
// along u is ⟨u, μ_j⟩ = ‖μ_j‖/√k = √(d/k), the scale at which this attack succeeds; a net that
// kept the centres apart needs ε of order √d instead.
#include "attacks/feature_average.h"

#include "attacks/norm_ball.h"
#include "runtime/user_error.h"

namespace robustlab {

torch::Tensor against_class_direction(const Victim& victim, const torch::Tensor& x, const torch::Tensor& y, double eps,
                                      const std::string& attack, const std::string& needs) {
  if (!victim.class_direction.defined())
    throw UserError("attack " + attack + ": the data has no known class direction (it needs " + needs + ")");
  const torch::Tensor u = victim.class_direction.to(x.device(), x.dtype()).view_as(x[0]);
  return clamp_to_box(x - eps * per_example(y.to(x.dtype()), x) * u.unsqueeze(0), victim.box);
}

torch::Tensor feature_average(const Victim& victim, const torch::Tensor& x, const torch::Tensor& y,
                              const AttackSpec& spec, at::Generator&) {
  return against_class_direction(victim, x, y, spec.eps, "feature-average",
                                 "ground-truth centres, as in the feature-averaging study");
}

}  // namespace robustlab
