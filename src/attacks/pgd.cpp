// PGD: maximise the loss over the ε-ball by steepest ascent, projecting back after each step:
//     δ_0     = random start (or 0)
//     δ_{t+1} = Π_{‖δ‖≤ε}( δ_t + α · argmax_{‖v‖≤1} ⟨∇_x L(x + δ_t, y), v⟩ )
// The argmax is sign(∇) for ℓ∞ and ∇/‖∇‖₂ for ℓ2 (normalised steps). Every iterate, the start
// included, is a candidate: per example we keep the first that is misclassified, else the one
// with the largest loss, and the same across restarts. So more steps or restarts never make the
// attack weaker.
#include "attacks/pgd.h"

#include "attacks/norm_ball.h"
#include "models/classification.h"

namespace robustlab {
namespace {

// Per-example record of the strongest iterate seen so far.
struct BestIterate {
  torch::Tensor x_adv, loss, fooled;

  void offer(const torch::Tensor& candidate, const torch::Tensor& cand_loss,
             const torch::Tensor& cand_fooled) {
    if (!x_adv.defined()) {
      x_adv = candidate.clone();
      loss = cand_loss.clone();
      fooled = cand_fooled.clone();
      return;
    }
    // Better = fools the model where the best so far does not, or fools equally with higher loss.
    const torch::Tensor better =
        (cand_fooled & fooled.logical_not()) | ((cand_fooled == fooled) & (cand_loss > loss));
    std::vector<int64_t> shape(candidate.dim(), 1);
    shape[0] = candidate.size(0);
    x_adv = torch::where(better.view(shape), candidate, x_adv);
    loss = torch::where(better, cand_loss, loss);
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
    torch::Tensor x_adv = clamp_to_box(x + delta, victim.box);
    for (int t = 0;; ++t) {
      x_adv = x_adv.detach().requires_grad_(true);
      const torch::Tensor outputs = victim.forward(x_adv);
      const torch::Tensor loss = victim.loss(outputs, y);
      best.offer(x_adv.detach(), loss.detach(), is_correct(outputs.detach(), y).logical_not());
      if (t == spec.steps) break;
      const torch::Tensor grad = torch::autograd::grad({loss.sum()}, {x_adv})[0];
      delta = project_to_ball(x_adv.detach() + spec.alpha * steepest_ascent(grad, norm) - x,
                              spec.eps, norm);
      x_adv = clamp_to_box(x + delta, victim.box);
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
