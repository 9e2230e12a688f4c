#pragma once
#include "attacks/attack.h"

namespace robustlab {

// `auto`: AutoAttack's ensemble, ℓ∞ (Croce & Hein 2020).
at::Tensor auto_attack(const Victim&, const at::Tensor& x, const at::Tensor& y, const AttackSpec&,
                       at::Generator&);

}  // namespace robustlab
