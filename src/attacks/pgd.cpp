// PGD: maximise the loss over the ε-ball by steepest ascent, projecting back after each step:
//     δ_0     = random start (or 0)
//     δ_{t+1} = Π_{‖δ‖≤ε}( δ_t + α · argmax_{‖v‖≤1} ⟨∇_x L(x + δ_t, y), v⟩ )
// The argmax is sign(∇) for ℓ∞ and ∇/‖∇‖₂ for ℓ2 (normalised steps). With keep = best (for
// evaluation) every iterate, the start included, is a candidate: per example we keep the first
// one that is misclassified; an example never misclassified keeps the last iterate of the restart
// whose final loss was highest, so more steps or restarts never make the attack weaker. With
// keep = last (adversarial training) the last iterate is returned, of the restart with the
// highest final loss: the point of highest loss, misclassified or not, is the one to train on.
#include "attacks/pgd.h"

#include "attacks/norm_ball.h"
#include "models/classification.h"

namespace robustlab {
namespace {

// Per-example record of the strongest iterate so far. Only rows that change are copied, since a
// PGD batch is large (12 MB for the feature-averaging study) and most rows change rarely.
struct BestIterate {
  torch::Tensor x_adv, fooled, final_loss;  // fooled: [n] bool; final_loss: of unfooled rows

  void offer_step(const torch::Tensor& candidate, const torch::Tensor& cand_fooled) {
    if (!x_adv.defined()) {
      x_adv = candidate.clone();
      fooled = cand_fooled.clone();
      return;
    }
    const torch::Tensor rows = (cand_fooled & fooled.logical_not()).nonzero().flatten();
    if (rows.numel() == 0) return;
    x_adv.index_copy_(0, rows, candidate.index_select(0, rows));
    fooled.index_fill_(0, rows, true);
  }

  // The last iterate of a restart replaces unfooled rows whose loss it beats.
  void offer_final(const torch::Tensor& candidate, const torch::Tensor& loss,
                   const torch::Tensor& cand_fooled, bool first_restart) {
    if (!x_adv.defined()) {  // keep = last: no step was offered
      x_adv = candidate.clone();
      fooled = torch::zeros_like(cand_fooled);
    }
    const torch::Tensor unfooled = fooled.logical_not();
    const torch::Tensor better =
        first_restart ? unfooled : unfooled & (cand_fooled | (loss > final_loss));
    final_loss = first_restart ? loss.clone() : torch::where(better, loss, final_loss);
    const torch::Tensor rows = better.nonzero().flatten();
    if (rows.numel()) x_adv.index_copy_(0, rows, candidate.index_select(0, rows));
    fooled = fooled | cand_fooled;
  }
};

}  // namespace

torch::Tensor pgd(const Victim& victim, const torch::Tensor& x, const torch::Tensor& y,
                  const AttackSpec& spec, at::Generator& gen, Norm norm) {
  torch::AutoGradMode enable(true);  // autograd is asked for ∇_x only, never parameter grads
  const bool keep_best = spec.keep == Keep::Best;
  // One restart that keeps its last iterate needs no loss at the end: nothing to compare it with.
  const bool final_loss_needed = keep_best || spec.restarts > 1;
  BestIterate best;
  for (int restart = 0; restart < spec.restarts; ++restart) {
    torch::Tensor delta = random_perturbation(x, spec.eps, norm, spec.random_start, gen);
    for (int t = 0;; ++t) {
      torch::Tensor x_adv = clamp_to_box(x + delta, victim.box).requires_grad_(true);
      if (victim.box) delta = x_adv.detach() - x;  // the box may have shortened δ
      if (t == spec.steps && !final_loss_needed) return x_adv.detach();
      const torch::Tensor outputs = victim.forward(x_adv);
      const torch::Tensor loss = victim.loss(outputs, y);
      // Whether an iterate fools the model matters only for keep = best (y may not be labels
      // with keep = last: TRADES attacks the KL to the clean predictions).
      const torch::Tensor fooled = keep_best ? is_correct(outputs.detach(), y).logical_not()
                                             : torch::zeros({x.size(0)}, torch::kBool).to(x.device());
      if (t == spec.steps) {
        best.offer_final(x_adv.detach(), loss.detach(), fooled, restart == 0);
        break;
      }
      if (keep_best) best.offer_step(x_adv.detach(), fooled);
      const torch::Tensor grad = torch::autograd::grad({loss.sum()}, {x_adv})[0];
      delta = project_to_ball_(torch::add(delta, steepest_ascent(grad, norm), spec.step()), spec.eps, norm);
    }
  }
  return best.x_adv;
}

torch::Tensor pgd_linf(const Victim& v, const torch::Tensor& x, const torch::Tensor& y,
                       const AttackSpec& spec, at::Generator& gen) {
  return pgd(v, x, y, spec, gen, Norm::Linf);
}

torch::Tensor pgd_l2(const Victim& v, const torch::Tensor& x, const torch::Tensor& y,
                     const AttackSpec& spec, at::Generator& gen) {
  return pgd(v, x, y, spec, gen, Norm::L2);
}

}  // namespace robustlab
