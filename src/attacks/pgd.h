#pragma once
#include "attacks/attack.h"

namespace robustlab {

// Projected gradient descent (Madry et al. 2018), ℓ∞ or ℓ2, with restarts and best iterate.
at::Tensor pgd(const Victim& victim, const at::Tensor& x, const at::Tensor& y,
               const AttackSpec& spec, at::Generator& generator, Norm norm);
at::Tensor pgd_linf(const Victim&, const at::Tensor&, const at::Tensor&, const AttackSpec&,
                    at::Generator&);
at::Tensor pgd_l2(const Victim&, const at::Tensor&, const at::Tensor&, const AttackSpec&,
                  at::Generator&);

}  // namespace robustlab
