#pragma once
#include "attacks/attack.h"

namespace robustlab {

// x − ε·y·u, u the victim's class_direction, clamped into the box: the analytic attacks'
// step. `needs` ends the error for a victim without one (where such a direction comes from).
at::Tensor against_class_direction(const Victim& victim, const at::Tensor& x, const at::Tensor& y, double eps,
                                   const std::string& attack, const std::string& needs);

// The attack the feature-averaging theory constructs: x_adv = x − ε·y·u, u the victim's
// class_direction (for cluster data, the normalised Σ_j y_j μ_j: own-class centres minus the
// other class's). Needs no gradient; breaks a feature-averaging net at ε of order √(d/k).
at::Tensor feature_average(const Victim&, const at::Tensor&, const at::Tensor&, const AttackSpec&,
                           at::Generator&);

}  // namespace robustlab
