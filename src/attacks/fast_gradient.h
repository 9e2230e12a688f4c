#pragma once
#include "attacks/attack.h"

namespace robustlab {

// One full step of size ε along the steepest-ascent direction of the loss, no random start:
// FGSM (Goodfellow et al. 2015) for ℓ∞, FGM (Miyato et al. 2017) for ℓ2.
at::Tensor fgsm(const Victim&, const at::Tensor&, const at::Tensor&, const AttackSpec&,
                at::Generator&);
at::Tensor fgm(const Victim&, const at::Tensor&, const at::Tensor&, const AttackSpec&,
               at::Generator&);

}  // namespace robustlab
