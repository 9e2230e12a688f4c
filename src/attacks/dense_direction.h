#pragma once
#include "attacks/attack.h"

namespace robustlab {

// The feature-purification paper's dense attack on sparse-coding data: x_adv = x − ε·y·u with
// u = M w* / ‖M w*‖ (the victim's class_direction), the direction every atom of the teacher
// contributes to with only 1/√d of its weight. Needs no gradient.
at::Tensor dense_direction(const Victim&, const at::Tensor&, const at::Tensor&, const AttackSpec&, at::Generator&);

}  // namespace robustlab
