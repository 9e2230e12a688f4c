// PGD: maximise the loss over the ε-ball by steepest ascent, projecting back after each step:
//     δ_0     = random start (or 0)
//     δ_{t+1} = Π_{‖δ‖≤ε}( δ_t + α · argmax_{‖v‖≤1} ⟨∇_x L(x + δ_t, y), v⟩ )
// The argmax is sign(∇) for ℓ∞ and ∇/‖∇‖₂ for ℓ2 (normalised steps). Every iterate, the start
// included, is a candidate: per example we keep the first one that is misclassified; an example
// never misclassified keeps the last iterate of the restart whose final loss was highest. So
// more steps or restarts never make the attack weaker.
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
  BestIterate best;
  for (int restart = 0; restart < spec.restarts; ++restart) {
    torch::Tensor delta = random_perturbation(x, spec.eps, norm, spec.random_start, gen);
    for (int t = 0;; ++t) {
      torch::Tensor x_adv = clamp_to_box(x + delta, victim.box).requires_grad_(true);
      if (victim.box) delta = x_adv.detach() - x;  // the box may have shortened δ
      const torch::Tensor outputs = victim.forward(x_adv);
      const torch::Tensor loss = victim.loss(outputs, y);
      const torch::Tensor fooled = is_correct(outputs.detach(), y).logical_not();
      if (t == spec.steps) {
        best.offer_final(x_adv.detach(), loss.detach(), fooled, restart == 0);
        break;
      }
      best.offer_step(x_adv.detach(), fooled);
      const torch::Tensor grad = torch::autograd::grad({loss.sum()}, {x_adv})[0];
      delta = project_to_ball_(torch::add(delta, steepest_ascent(grad, norm), spec.alpha),
                               spec.eps, norm);
    }
  }
  return best.x_adv;
}

torch::Tensor pgd_last_iterate(const Forward& forward, const Loss& loss, const std::optional<Box>& box,
                               const torch::Tensor& x, const torch::Tensor& targets, const torch::Tensor& delta0,
                               double eps, double alpha, int steps, Norm norm) {
  torch::Tensor x_adv = clamp_to_box(x + delta0, box);
  for (int t = 0; t < steps; ++t) {
    const torch::Tensor grad = input_gradient(forward, loss, x_adv, targets);
    x_adv = project_to_ball_and_box(x, x_adv + alpha * steepest_ascent(grad, norm), eps, norm, box);
  }
  return x_adv.detach();
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
