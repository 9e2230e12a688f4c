// Adversarial training: what the training loop minimises instead of the clean loss, when the run
// asks for it. One struct of options, read by the one loop (train/train.h); no copy of the loop.
//
//   pgd       Madry et al. 2018: min_θ E max_{‖δ‖≤ε} L(x + δ, y), the max by PGD from a
//             uniform random start in the ball (steps, alpha), training on its last iterate.
//   fast      Wong, Rice, Kolter 2020: one FGSM step of alpha = 1.25ε from a uniform random start,
//             projected back to the ball: nearly PGD's robustness at the cost of one step.
//   trades    Zhang et al. 2019: L(x, y) + β·KL(p(x) ‖ p(x')), x' maximising the KL term by PGD
//             from x + 0.001·N(0, I): a trade-off between accuracy and robustness set by β.
//   one-step  the theory papers' adversarial training: x' = x + ε·argmax_{‖v‖≤1} ⟨∇_x L, v⟩, one
//             full step to the ball's boundary, no random start (FGM for ℓ2, FGSM for ℓ∞).
//
// For pgd, fast and one-step the loss is (1 − λ)·L(x, y) + λ·L(x', y) with λ = `mix` (1: only the
// adversarial loss). ε warm-up: ε (and alpha with it) rises linearly from 0 to its value over the
// first `warmup_epochs` epochs, counted in steps. The adversarial inputs are built with the model
// in eval mode, like every attack.
#pragma once
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <optional>
#include <string>
#include <vector>

#include "attacks/attack.h"

namespace robustlab {

struct AdversarialTraining {
  std::string method = "none";  // none, pgd, fast, trades, one-step
  Norm norm = Norm::Linf;
  double eps = 0;
  double alpha = 0;  // absolute step at full ε; 0: pgd and trades 2.5ε/steps, fast 1.25ε
  int steps = 10;    // pgd and trades
  double warmup_epochs = 0;
  double mix = 1.0;   // λ
  double beta = 6.0;  // trades
  std::optional<Box> box;  // the data's box: adversarial inputs are clamped into it

  bool enabled() const { return method != "none"; }
};

const std::vector<std::string>& adversarial_training_methods();

// UserError when a field is out of range (unknown method, ε < 0, mix outside [0, 1], ...).
void check_adversarial_training(const AdversarialTraining& options);

// ε at training step `step` (0-based) with `steps_per_epoch` steps per epoch, after warm-up.
double warmed_up_eps(const AdversarialTraining& options, int64_t step, int64_t steps_per_epoch);

// The mean loss to take the gradient step on, for a batch (x, y) at radius eps. `set_mode(train)`
// switches the model between eval (to build the adversarial inputs) and train mode (for the loss).
at::Tensor adversarial_training_loss(const AdversarialTraining& options, const Forward& forward,
                                     const std::function<void(bool train)>& set_mode, const at::Tensor& x,
                                     const at::Tensor& y, double eps, at::Generator& generator);

// KL(p ‖ q) per example between the predictions of two outputs (softmax over logits, or the
// Bernoulli σ(f) of a binary score): TRADES's robustness term. `clean` is held fixed.
at::Tensor prediction_kl(const at::Tensor& clean, const at::Tensor& outputs);

}  // namespace robustlab
