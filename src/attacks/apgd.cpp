// Auto-PGD (Croce & Hein 2020, "Reliable evaluation of adversarial robustness with an ensemble of
// diverse parameter-free attacks"): PGD without a step size to tune.
//
//   z_{k+1}  = P( x_k + η_k · argmax_{‖v‖≤1} ⟨∇L(x_k), v⟩ )                  (a PGD step)
//   x_{k+1}  = P( x_k + a·(z_{k+1} − x_k) + (1 − a)·(x_k − x_{k−1}) )       (momentum, a = 0.75;
//                                                                           a = 1 on the first step)
// P projects onto the ε-ball around x and into the box. The step starts at η_0 = 2ε and is halved
// at checkpoints w_j = ⌈p_j N⌉, p_0 = 0, p_1 = 0.22, p_{j+1} = p_j + max(p_j − p_{j−1} − 0.03, 0.06),
// for the examples where either
//   (1) the loss went up in at most ρ = 75% of the steps since the last checkpoint, or
//   (2) the step was not halved at the last checkpoint and the best loss has not improved since;
// those examples restart from their best point x_max. Everything is per example.
#include "attacks/apgd.h"

#include "attacks/norm_ball.h"
#include "attacks/standing_points.h"
#include "models/classification.h"

namespace robustlab {
namespace {

struct Evaluation {
  torch::Tensor loss, grad, fooled;
};

Evaluation evaluate(const Forward& forward, const Loss& loss_fn, const torch::Tensor& point,
                    const torch::Tensor& labels, const torch::Tensor& loss_labels) {
  torch::Tensor x_var = point.detach().requires_grad_(true);
  const torch::Tensor outputs = forward(x_var);
  const torch::Tensor loss = loss_fn(outputs, loss_labels);
  const torch::Tensor grad = torch::autograd::grad({loss.sum()}, {x_var})[0];
  return {loss.detach(), grad, is_correct(outputs.detach(), labels).logical_not()};
}

// Where mask[i], rows of a, else rows of b.
torch::Tensor pick(const torch::Tensor& mask, const torch::Tensor& a, const torch::Tensor& b) {
  return torch::where(per_example(mask, a), a, b);
}

}  // namespace

torch::Tensor apgd_run(const Forward& forward, const Loss& loss_fn, const std::optional<Box>& box,
                       const torch::Tensor& x, const torch::Tensor& labels, const torch::Tensor& loss_labels,
                       double eps, int steps, Norm norm, at::Generator& gen) {
  torch::AutoGradMode enable(true);  // ∇_x only; parameters are never asked for
  const int first_period = std::max(static_cast<int>(0.22 * steps), 1);
  const int min_period = std::max(static_cast<int>(0.06 * steps), 1);
  const int period_decrease = std::max(static_cast<int>(0.03 * steps), 1);
  constexpr double rho = 0.75, momentum = 0.75;

  torch::Tensor x_adv = project_to_ball_and_box(x, x + random_perturbation(x, eps, norm, RandomStart::Sphere, gen), eps, norm, box);
  Evaluation e = evaluate(forward, loss_fn, x_adv, labels, loss_labels);
  torch::Tensor x_best = x_adv, loss_best = e.loss, grad_best = e.grad;
  torch::Tensor fooled = e.fooled, x_fooled = x_adv;  // x_fooled: the first misclassified iterate
  torch::Tensor step = torch::full({x.size(0)}, kApgdFirstStepPerEps * eps, x.options());
  torch::Tensor x_prev = x_adv, loss_prev = e.loss;
  torch::Tensor increases = torch::zeros({x.size(0)}, x.options());
  torch::Tensor best_at_check = loss_best, halved_at_check = torch::zeros_like(fooled);
  int period = first_period, since_check = 0;

  for (int k = 0; k < steps; ++k) {
    const double a = k == 0 ? 1.0 : momentum;
    const torch::Tensor z = project_to_ball_and_box(x, x_adv + per_example(step, x) * steepest_ascent(e.grad, norm), eps, norm, box);
    const torch::Tensor x_next = project_to_ball_and_box(x, x_adv + a * (z - x_adv) + (1 - a) * (x_adv - x_prev), eps, norm, box);
    x_prev = x_adv;
    x_adv = x_next;
    e = evaluate(forward, loss_fn, x_adv, labels, loss_labels);

    x_fooled = pick(e.fooled & fooled.logical_not(), x_adv, x_fooled);
    fooled = fooled | e.fooled;
    increases += (e.loss > loss_prev).to(increases.dtype());
    loss_prev = e.loss;
    const torch::Tensor improved = e.loss > loss_best;
    x_best = pick(improved, x_adv, x_best);
    grad_best = pick(improved, e.grad, grad_best);
    loss_best = torch::where(improved, e.loss, loss_best);

    if (++since_check == period) {
      const torch::Tensor oscillating = increases <= rho * period;
      const torch::Tensor stalled = halved_at_check.logical_not() & (loss_best <= best_at_check);
      const torch::Tensor halve = oscillating | stalled;
      step = torch::where(halve, step / 2, step);
      x_adv = pick(halve, x_best, x_adv);
      e.grad = pick(halve, grad_best, e.grad);
      halved_at_check = halve;
      best_at_check = loss_best;
      increases.zero_();
      since_check = 0;
      period = std::max(period - period_decrease, min_period);
    }
  }
  return pick(fooled, x_fooled, x_best).detach();
}

torch::Tensor apgd_ce(const Victim& victim, const torch::Tensor& x, const torch::Tensor& y,
                      const AttackSpec& spec, at::Generator& gen) {
  StandingPoints points(victim.forward, x, y);
  for (int restart = 0; restart < spec.restarts && points.any_standing(); ++restart) {
    const torch::Tensor rows = points.rows();
    const torch::Tensor ys = y.index_select(0, rows);
    const torch::Tensor candidates =
        apgd_run(victim.forward, victim.loss, victim.box, x.index_select(0, rows), ys, ys, spec.eps, spec.steps,
                 Norm::Linf, gen);
    points.offer_unfooled(rows, candidates);
  }
  return points.x_adv();
}

}  // namespace robustlab
