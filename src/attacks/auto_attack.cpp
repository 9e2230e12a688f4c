// `auto`: the per-example worst case of three attacks that fail in different ways (Croce & Hein
// 2020), run in sequence, each on the examples the ones before it left standing:
//   apgd-ce  white-box, cross-entropy: strong unless the loss's gradients are hidden;
//   apgd-t   white-box, targeted DLR: scale-free, for over-confident models (3+ classes; skipped
//            for a binary score, where DLR is undefined);
//   square   black-box, scores only: immune to gradient masking.
// spec.steps are APGD's iterations, spec.targets APGD-T's target classes, spec.queries Square's.
#include "attacks/auto_attack.h"

#include "attacks/standing_points.h"
#include "models/classification.h"

namespace robustlab {

torch::Tensor auto_attack(const Victim& victim, const torch::Tensor& x, const torch::Tensor& y,
                          const AttackSpec& spec, at::Generator& gen) {
  int64_t classes = 0;
  {
    torch::NoGradGuard no_grad;
    classes = class_count(victim.forward(x.narrow(0, 0, 1)));
  }
  StandingPoints points(victim.forward, x, y);
  for (const char* name : {"apgd-ce", "apgd-t", "square"}) {
    if (std::string(name) == "apgd-t" && classes < 3) continue;
    if (!points.any_standing()) break;
    AttackSpec part = spec;
    part.name = name;
    part.restarts = 1;
    const torch::Tensor rows = points.rows();
    points.offer(rows, run_attack(victim, x.index_select(0, rows), y.index_select(0, rows), part, gen));
  }
  return points.x_adv();
}

}  // namespace robustlab
