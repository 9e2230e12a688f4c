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

// The textbook loop that adversarial training uses: from x + delta0, `steps` projected steps of
// size alpha on loss(forward(·), targets), returning the last iterate (the highest-loss point, the
// one to train on) rather than the first misclassified one. `targets` is whatever `loss` compares
// the outputs with: labels, or the clean predictions for TRADES.
at::Tensor pgd_last_iterate(const Forward& forward, const Loss& loss, const std::optional<Box>& box,
                            const at::Tensor& x, const at::Tensor& targets, const at::Tensor& delta0,
                            double eps, double alpha, int steps, Norm norm);

}  // namespace robustlab
