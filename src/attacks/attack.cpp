#include "attacks/attack.h"

#include "attacks/fast_gradient.h"
#include "attacks/feature_average.h"
#include "attacks/pgd.h"
#include "models/classification.h"
#include "runtime/find_by_name.h"
#include "runtime/user_error.h"

namespace robustlab {

Victim make_victim(Forward forward, std::optional<Box> box) {
  return Victim{std::move(forward), per_example_loss, box, {}};
}

const std::vector<AttackInfo>& all_attacks() {
  static const std::vector<AttackInfo> attacks = {
      {"fgsm", Norm::Linf, false, fgsm, "one signed-gradient step of size eps (Goodfellow 2015)"},
      {"fgm", Norm::L2, false, fgm, "one normalised-gradient step of size eps (Miyato 2017)"},
      {"pgd-linf", Norm::Linf, true, pgd_linf,
       "projected signed-gradient ascent, restarts, best iterate (Madry 2018)"},
      {"pgd-l2", Norm::L2, true, pgd_l2,
       "projected normalised-gradient ascent, restarts, best iterate (Madry 2018)"},
      {"feature-average", Norm::L2, false, feature_average,
       "analytic: x - eps*y*u along the averaged class direction (Li et al. 2024)"},
  };
  return attacks;
}

const AttackInfo& find_attack(const std::string& name) {
  return find_by_name(all_attacks(), name, "attack");
}

torch::Tensor run_attack(const Victim& victim, const torch::Tensor& x, const torch::Tensor& y,
                         const AttackSpec& spec, at::Generator& generator) {
  const AttackInfo& attack = find_attack(spec.name);
  const std::string where = "attack " + spec.name + ": ";
  if (!(spec.eps >= 0)) throw UserError(where + "eps must be >= 0, got " + std::to_string(spec.eps));
  if (spec.eps == 0) return x;
  if (attack.iterative) {
    if (spec.steps < 1) throw UserError(where + "steps must be >= 1");
    if (!(spec.alpha > 0)) throw UserError(where + "alpha must be > 0");
    if (spec.restarts < 1) throw UserError(where + "restarts must be >= 1");
  }
  return attack.run(victim, x, y, spec, generator).detach();
}

torch::Tensor input_gradient(const Victim& victim, const torch::Tensor& x, const torch::Tensor& y) {
  torch::AutoGradMode enable(true);
  torch::Tensor x_var = x.detach().requires_grad_(true);
  const torch::Tensor loss = victim.loss(victim.forward(x_var), y).sum();
  return torch::autograd::grad({loss}, {x_var})[0];
}

const char* norm_name(Norm norm) { return norm == Norm::Linf ? "linf" : "l2"; }

RandomStart parse_random_start(const std::string& name) {
  if (name == "none") return RandomStart::None;
  if (name == "sphere") return RandomStart::Sphere;
  if (name == "ball") return RandomStart::Ball;
  throw UserError("random_start '" + name + "': expected none, sphere or ball");
}

const char* random_start_name(RandomStart start) {
  switch (start) {
    case RandomStart::None: return "none";
    case RandomStart::Sphere: return "sphere";
    case RandomStart::Ball: return "ball";
  }
  return "?";
}

}  // namespace robustlab
