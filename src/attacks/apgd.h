#pragma once
#include <optional>

#include "attacks/attack.h"

namespace robustlab {

constexpr double kApgdFirstStepPerEps = 2.0;  // η_0 = 2ε

// One run of Auto-PGD (Croce & Hein 2020) from a random point of the ε-sphere, maximising
// loss(forward(x_adv), loss_labels) per example. `labels` decide which examples are fooled.
// Returns, per example, the first misclassified iterate, or else the iterate of highest loss.
at::Tensor apgd_run(const Forward& forward, const Loss& loss, const std::optional<Box>& box,
                    const at::Tensor& x, const at::Tensor& labels, const at::Tensor& loss_labels,
                    double eps, int steps, Norm norm, at::Generator& generator);

// APGD on the victim's loss (cross-entropy, or the logistic loss of a binary score), with
// spec.restarts runs on the examples still standing.
at::Tensor apgd_ce(const Victim&, const at::Tensor& x, const at::Tensor& y, const AttackSpec&,
                   at::Generator&);

// APGD on the targeted DLR loss, one run per target class (attacks/apgd_targeted.cpp).
at::Tensor apgd_t(const Victim&, const at::Tensor& x, const at::Tensor& y, const AttackSpec&,
                  at::Generator&);

}  // namespace robustlab
