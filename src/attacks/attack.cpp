#include "attacks/attack.h"

#include "attacks/apgd.h"
#include "attacks/auto_attack.h"
#include "attacks/dense_direction.h"
#include "attacks/fast_gradient.h"
#include "attacks/feature_average.h"
#include "attacks/gradient_ascent.h"
#include "attacks/pgd.h"
#include "attacks/square.h"
#include "models/classification.h"
#include "runtime/find_by_name.h"
#include "runtime/user_error.h"

namespace robustlab {

Forward forward_of(torch::nn::AnyModule model) {
  return [model](const torch::Tensor& x) mutable { return model.forward(x); };
}

Victim make_victim(Forward forward, std::optional<Box> box) {
  return Victim{std::move(forward), per_example_loss, box, {}};
}

AttackSpec AttackSpec::at(double radius) const {
  const AttackInfo& info = find_attack(name);
  AttackSpec s = *this;
  s.eps = radius;
  s.alpha = !info.reads(kAlpha) ? info.own_step_per_eps * radius : s.step();
  s.steps = info.reads(kSteps) ? steps : info.kind == AttackKind::OneStep ? 1 : 0;
  s.random_start = info.reads(kRandomStart) ? random_start : RandomStart::None;
  s.restarts = info.reads(kRestarts) ? restarts : 1;
  s.targets = info.reads(kTargets) ? targets : 0;
  s.queries = info.reads(kQueries) ? queries : 0;
  if (info.kind == AttackKind::BlackBox) s.steps = queries;  // a query is its step
  return s;
}

void AttackSpec::fields(Fields& f) {
  f.field("steps", steps, "iterations of iterative attacks (PGD, APGD)", {1});
  f.field("alpha", alpha, "absolute step size (0: alpha_per_eps * eps)", {0});
  f.field("alpha_per_eps", alpha_per_eps, "PGD step size as a fraction of eps", {1e-9});
  f.choice("random_start", random_start, random_start_names(), "PGD start: none, sphere, ball or jitter");
  f.field("restarts", restarts, "restarts (per-example worst case)", {1});
  f.field("targets", targets, "apgd-t, auto: target classes (0: min(9, classes - 1))", {0});
  f.field("queries", queries, "square, auto: queries per example", {1});
}

const std::vector<AttackInfo>& all_attacks() {
  constexpr unsigned pgd_params = kAlpha | kSteps | kRandomStart | kRestarts;
  static const std::vector<AttackInfo> attacks = {
      {"fgsm", Norm::Linf, AttackKind::OneStep, 0, 1, 1.0, fgsm,
       "one signed-gradient step of size eps (Goodfellow 2015)"},
      {"fgm", Norm::L2, AttackKind::OneStep, 0, 1, 1.0, fgm,
       "one normalised-gradient step of size eps (Miyato 2017)"},
      {"gradient-ascent", Norm::Linf, AttackKind::OneStep, kAlpha, 1, 0, gradient_ascent,
       "one plain gradient step of l2 length alpha, projected onto the linf ball (Li & Li)"},
      {"pgd-linf", Norm::Linf, AttackKind::Iterative, pgd_params, 10, 0, pgd_linf,
       "projected signed-gradient ascent, restarts, best iterate (Madry 2018)"},
      {"pgd-l2", Norm::L2, AttackKind::Iterative, pgd_params, 10, 0, pgd_l2,
       "projected normalised-gradient ascent, restarts, best iterate (Madry 2018)"},
      {"apgd-ce", Norm::Linf, AttackKind::Iterative, kSteps | kRestarts, 100, kApgdFirstStepPerEps, apgd_ce,
       "auto-PGD on cross-entropy: momentum, step halving at checkpoints (Croce & Hein 2020)"},
      {"apgd-t", Norm::Linf, AttackKind::Iterative, kSteps | kRestarts | kTargets, 100, kApgdFirstStepPerEps, apgd_t,
       "auto-PGD on the targeted DLR loss, one run per target class (Croce & Hein 2020)"},
      {"square", Norm::Linf, AttackKind::BlackBox, kRestarts | kQueries, 0, 0, square,
       "score-based random search over square patches, no gradients (Andriushchenko 2020)"},
      {"auto", Norm::Linf, AttackKind::Ensemble, kSteps | kTargets | kQueries, 100, 0, auto_attack,
       "per-example worst of apgd-ce, apgd-t, square on the points still standing (AutoAttack)"},
      {"feature-average", Norm::L2, AttackKind::Analytic, 0, 0, 0, feature_average,
       "analytic: x - eps*y*u along the averaged class direction (Li et al. 2024)"},
      {"dense-direction", Norm::L2, AttackKind::Analytic, 0, 0, 0, dense_direction,
       "analytic: x - eps*y*Mw*/|Mw*| along the sparse-coding teacher's dense direction (Allen-Zhu & Li)"},
  };
  return attacks;
}

const AttackInfo& find_attack(const std::string& name) {
  return find_by_name(all_attacks(), name, "attack");
}

std::vector<std::string> attack_names() { return names_of(all_attacks()); }

torch::Tensor run_attack(const Victim& victim, const torch::Tensor& x, const torch::Tensor& y,
                         const AttackSpec& spec, at::Generator& generator) {
  const AttackInfo& attack = find_attack(spec.name);
  const std::string where = "attack " + spec.name + ": ";
  if (!(spec.eps >= 0) || !std::isfinite(spec.eps))
    throw UserError(where + "eps must be >= 0 and finite, got " + std::to_string(spec.eps));
  if (spec.eps == 0 || x.size(0) == 0) return x;
  if (attack.reads(kSteps) && spec.steps < 1) throw UserError(where + "steps must be >= 1");
  if (attack.reads(kAlpha) && !(spec.step() > 0 && std::isfinite(spec.step())))
    throw UserError(where + "alpha must be a finite number > 0");
  if (attack.reads(kRestarts) && spec.restarts < 1) throw UserError(where + "restarts must be >= 1");
  if (attack.reads(kTargets) && spec.targets < 0) throw UserError(where + "targets must be >= 0");
  if (attack.reads(kQueries) && spec.queries < 1) throw UserError(where + "queries must be >= 1");
  return attack.run(victim, x, y, spec, generator).detach();
}

torch::Tensor input_gradient(const Forward& forward, const Loss& loss, const torch::Tensor& x,
                             const torch::Tensor& y) {
  torch::AutoGradMode enable(true);
  torch::Tensor x_var = x.detach().requires_grad_(true);
  const torch::Tensor total = loss(forward(x_var), y).sum();
  return torch::autograd::grad({total}, {x_var})[0];
}

torch::Tensor input_gradient(const Victim& victim, const torch::Tensor& x, const torch::Tensor& y) {
  return input_gradient(victim.forward, victim.loss, x, y);
}

const char* norm_name(Norm norm) { return norm == Norm::Linf ? "linf" : "l2"; }

const std::vector<std::pair<std::string, RandomStart>>& random_start_names() {
  static const std::vector<std::pair<std::string, RandomStart>> names = {
      {"none", RandomStart::None}, {"sphere", RandomStart::Sphere}, {"ball", RandomStart::Ball}, {"jitter", RandomStart::Jitter}};
  return names;
}

RandomStart parse_random_start(const std::string& name) {
  for (const auto& [n, start] : random_start_names())
    if (n == name) return start;
  throw UserError("random_start '" + name + "': expected none, sphere, ball or jitter");
}

}  // namespace robustlab
