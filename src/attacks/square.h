#pragma once
#include "attacks/attack.h"

namespace robustlab {

// The Square attack, ℓ∞ (Andriushchenko et al. 2020): score-based random search, no gradients.
at::Tensor square(const Victim&, const at::Tensor& x, const at::Tensor& y, const AttackSpec&,
                  at::Generator&);

}  // namespace robustlab
