// Adversarial training: what the training loop minimises instead of the clean loss, when the run
// asks for it. One struct of options, read by the one loop (train/train.h); no copy of the loop.
// The adversarial inputs come from an attack of the registry (attacks/attack.h), run with
// keep = last and the model in eval mode:
//
//   pgd       Madry et al. 2018: min_θ E max_{‖δ‖≤ε} L(x + δ, y), the max by PGD from a
//             uniform random start in the ball (steps, alpha), training on its last iterate.
//   fast      Wong, Rice, Kolter 2020: one PGD step of alpha = 1.25ε from a uniform random start,
//             projected back to the ball: nearly PGD's robustness at the cost of one step.
//   trades    Zhang et al. 2019: L(x, y) + β·KL(p(x) ‖ p(x')), x' maximising the KL term by PGD
//             from x + 0.001·N(0, I): a trade-off between accuracy and robustness set by β.
//   one-step  the theory papers' adversarial training: x' = x + ε·argmax_{‖v‖≤1} ⟨∇_x L, v⟩, one
//             full step to the ball's boundary, no random start (FGM for ℓ2, FGSM for ℓ∞).
//
// `attack` replaces the method's own attack by any attack of the registry (apgd-ce, square, ...),
// trained on like pgd. For pgd, fast, one-step and a named attack the loss is
// (1 − λ)·L(x, y) + λ·L(x', y) with λ = `mix` (1: only the adversarial loss). ε warm-up: ε (and
// alpha with it) rises linearly from 0 to its value over the first `warmup_epochs` epochs,
// counted in steps.
#pragma once
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <optional>
#include <string>
#include <vector>

#include "attacks/attack.h"
#include "config/fields.h"

namespace robustlab {

const std::vector<std::string>& adversarial_training_methods();  // none, pgd, fast, trades, one-step

struct AdversarialTraining {
  std::string method = "none";  // none, pgd, fast, trades, one-step
  std::string attack;           // "": the method's own attack; else a registry attack name
  Norm norm = Norm::Linf;
  double eps = 0;
  double alpha = 0;  // absolute step at full ε; 0: pgd, trades and named attacks 2.5ε/steps, fast 1.25ε
  int steps = 10;    // pgd, trades and named attacks
  double warmup_epochs = 0;
  double mix = 1.0;   // λ
  double beta = 6.0;  // trades
  std::optional<Box> box;  // the data's box: adversarial inputs are clamped into it

  bool enabled() const { return method != "none"; }

  // The attack that makes the adversarial inputs at radius eps (after warm-up).
  AttackSpec attack_at(double eps) const;

  void fields(Fields& f) {  // the config keys adversarial.*
    f.field("method", method,
            "adversarial training: none, pgd (Madry), fast (FGSM + random start), trades, "
            "one-step (one gradient-ascent step to the ball's boundary)",
            adversarial_training_methods());
    std::vector<std::string> attacks = attack_names();
    attacks.insert(attacks.begin(), "");
    f.field("attack", attack, "the attack making the training inputs (empty: the method's own)", attacks);
    f.choice<Norm>("norm", norm, {{"linf", Norm::Linf}, {"l2", Norm::L2}}, "threat model of the training attack");
    f.field("eps", eps, "radius of the training attack (fractions like 8/255 allowed)", {0});
    f.field("alpha", alpha, "absolute step at full eps (0: pgd/trades 2.5*eps/steps, fast 1.25*eps)", {0});
    f.field("steps", steps, "steps of the training attack (pgd, trades, a named attack)", {1});
    f.field("warmup_epochs", warmup_epochs, "eps rises linearly from 0 over this many epochs", {0});
    f.field("mix", mix, "lambda: loss = (1 - lambda)*clean + lambda*adversarial (pgd, fast, one-step)", {0, 1});
    f.field("beta", beta, "trades: weight of the KL robustness term", {0});
  }
};

// UserError when a field is out of range (unknown method or attack, ε < 0 or ε = 0 with a
// method, mix outside [0, 1], an attack of another norm ...).
void check_adversarial_training(const AdversarialTraining& options);

// value·min(1, (step + 1)/W) at 0-based step `step` of a linear warm-up over W steps (W <= 0: no
// warm-up): the ramp of ε here and of the learning rate in train/train.h.
double linear_warmup(double value, int64_t step, double warmup_steps);

// ε at training step `step` (0-based) with `steps_per_epoch` steps per epoch, after warm-up.
double warmed_up_eps(const AdversarialTraining& options, int64_t step, int64_t steps_per_epoch);

// The mean loss to take the gradient step on, for a batch (x, y) at radius eps, where `loss` is
// the per-example loss the loop minimises. The model is put in eval mode to build the adversarial
// inputs, and back in train mode for the loss.
at::Tensor adversarial_training_loss(const AdversarialTraining& options, torch::nn::AnyModule model,
                                     const Loss& loss, const at::Tensor& x, const at::Tensor& y, double eps,
                                     at::Generator& generator);

// KL(p ‖ q) per example between the predictions of two outputs (softmax over logits, or the
// Bernoulli σ(f) of a binary score): TRADES's robustness term. `clean` is held fixed.
at::Tensor prediction_kl(const at::Tensor& clean, const at::Tensor& outputs);

}  // namespace robustlab
