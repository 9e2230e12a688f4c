// APGD-T (Croce & Hein 2020): APGD on the targeted Difference-of-Logits-Ratio loss,
//
//   DLR_t(z, y) = −(z_y − z_t) / (z_π1 − (z_π3 + z_π4)/2),
//
// z the logits, π the classes sorted by logit (π1 the largest), t the target class. Maximising it
// pushes z_t above z_y. The ratio does not change when the logits are scaled or shifted, so an
// over-confident model (saturated softmax, vanishing cross-entropy gradients) cannot hide behind
// its scale. It needs 3 classes or more; with exactly 3 the denominator is z_π1 − z_π3.
// One run per target class: the classes ranked 2nd, 3rd, ... by the clean logits, on the
// examples still standing.
#include "attacks/apgd.h"
#include "attacks/standing_points.h"
#include "models/classification.h"
#include "runtime/user_error.h"

namespace robustlab {
namespace {

// labels: [n, 2] = (true class, target class).
torch::Tensor targeted_dlr(const torch::Tensor& z, const torch::Tensor& labels) {
  const torch::Tensor sorted = std::get<0>(z.sort(1, /*descending=*/true));
  const torch::Tensor third = z.size(1) >= 4 ? 0.5 * (sorted.select(1, 2) + sorted.select(1, 3)) : sorted.select(1, 2);
  const torch::Tensor z_y = z.gather(1, labels.select(1, 0).unsqueeze(1)).squeeze(1);
  const torch::Tensor z_t = z.gather(1, labels.select(1, 1).unsqueeze(1)).squeeze(1);
  return -(z_y - z_t) / (sorted.select(1, 0) - third + 1e-12);
}

}  // namespace

torch::Tensor apgd_t(const Victim& victim, const torch::Tensor& x, const torch::Tensor& y,
                     const AttackSpec& spec, at::Generator& gen) {
  torch::Tensor clean_logits;
  {
    torch::NoGradGuard no_grad;
    clean_logits = victim.forward(x);
  }
  const int64_t classes = class_count(clean_logits);
  if (classes < 3)
    throw UserError("attack " + spec.name + ": the targeted DLR loss needs 3 or more classes; the model has " +
                    std::to_string(classes) + (clean_logits.dim() == 1 ? " (a binary score)" : ""));
  const int64_t targets = spec.targets > 0 ? spec.targets : std::min<int64_t>(9, classes - 1);
  if (targets >= classes)
    throw UserError("attack " + spec.name + ": targets " + std::to_string(targets) +
                    " must be below the class count " + std::to_string(classes));
  // Target of round r: the class with the (r+2)-th largest clean logit.
  const torch::Tensor ranked = std::get<1>(clean_logits.sort(1, /*descending=*/true));

  StandingPoints points(victim.forward, x, y);
  for (int64_t r = 0; r < targets; ++r)
    for (int restart = 0; restart < spec.restarts && points.any_standing(); ++restart) {
      const torch::Tensor rows = points.rows();
      const torch::Tensor ys = y.index_select(0, rows);
      const torch::Tensor pair = torch::stack({ys, ranked.select(1, r + 1).index_select(0, rows)}, 1);
      points.offer_unfooled(rows, apgd_run(victim.forward, targeted_dlr, victim.box, x.index_select(0, rows), ys,
                                           pair, spec.eps, spec.steps, Norm::Linf, gen));
    }
  return points.x_adv();
}

}  // namespace robustlab
