#include "train/adversarial_training.h"

#include "models/classification.h"
#include "runtime/user_error.h"

namespace robustlab {

const std::vector<std::string>& adversarial_training_methods() {
  static const std::vector<std::string> methods = {"none", "pgd", "fast", "trades", "one-step"};
  return methods;
}

void check_adversarial_training(const AdversarialTraining& a) {
  const auto& methods = adversarial_training_methods();
  if (std::find(methods.begin(), methods.end(), a.method) == methods.end())
    throw UserError("adversarial.method: unknown method '" + a.method + "' (none, pgd, fast, trades or one-step)");
  if (!a.enabled()) return;
  if (!(a.eps > 0) || !std::isfinite(a.eps)) throw UserError("adversarial.eps: adversarial training needs a finite eps > 0");
  if (!(a.alpha >= 0) || !std::isfinite(a.alpha)) throw UserError("adversarial.alpha: must be a finite number >= 0");
  if (a.steps < 1) throw UserError("adversarial.steps: must be >= 1");
  if (!(a.mix >= 0 && a.mix <= 1)) throw UserError("adversarial.mix: must be in [0, 1]");
  if (!(a.beta >= 0) || !std::isfinite(a.beta)) throw UserError("adversarial.beta: must be a finite number >= 0");
  if (!(a.warmup_epochs >= 0) || !std::isfinite(a.warmup_epochs))
    throw UserError("adversarial.warmup_epochs: must be a finite number >= 0");
  if (!a.attack.empty()) {
    const AttackInfo& info = find_attack(a.attack);
    if (info.norm != a.norm)
      throw UserError("adversarial.attack: " + a.attack + " is an " + norm_name(info.norm) + " attack, adversarial.norm is " +
                      norm_name(a.norm));
    if (a.method == "trades") throw UserError("adversarial.attack: trades makes its own inputs (PGD on the KL term)");
  }
}

AttackSpec AdversarialTraining::attack_at(double radius) const {
  AttackSpec spec;
  spec.keep = Keep::Last;
  spec.eps = radius;
  spec.restarts = 1;
  spec.steps = steps;
  spec.random_start = RandomStart::Ball;
  const std::string pgd = norm == Norm::Linf ? "pgd-linf" : "pgd-l2";
  double full_alpha = 2.5 * eps / steps;  // at full ε, scaled with ε during warm-up
  if (!attack.empty()) {
    spec.name = attack;
  } else if (method == "fast") {
    spec.name = pgd;
    spec.steps = 1;
    full_alpha = 1.25 * eps;
  } else if (method == "one-step") {
    spec.name = norm == Norm::Linf ? "fgsm" : "fgm";
    spec.steps = 1;
    spec.random_start = RandomStart::None;
    full_alpha = eps;
  } else {  // pgd, trades
    spec.name = pgd;
    if (method == "trades") spec.random_start = RandomStart::Jitter;
  }
  spec.alpha = (alpha > 0 ? alpha : full_alpha) * radius / eps;
  return spec;
}

double linear_warmup(double value, int64_t step, double warmup_steps) {
  if (warmup_steps <= 0) return value;
  return value * std::min(1.0, static_cast<double>(step + 1) / warmup_steps);
}

double warmed_up_eps(const AdversarialTraining& a, int64_t step, int64_t steps_per_epoch) {
  return linear_warmup(a.eps, step, a.warmup_epochs * static_cast<double>(steps_per_epoch));
}

torch::Tensor prediction_kl(const torch::Tensor& clean, const torch::Tensor& outputs) {
  if (outputs.dim() == 1) {
    // Bernoulli: p = σ(f), log p = −softplus(−f), log(1 − p) = −softplus(f).
    const torch::Tensor p = torch::sigmoid(clean);
    return p * (torch::softplus(-outputs) - torch::softplus(-clean)) +
           (1 - p) * (torch::softplus(outputs) - torch::softplus(clean));
  }
  const torch::Tensor log_p = torch::log_softmax(clean, 1);
  return (log_p.exp() * (log_p - torch::log_softmax(outputs, 1))).sum(1);
}

torch::Tensor adversarial_training_loss(const AdversarialTraining& a, torch::nn::AnyModule model, const Loss& loss,
                                        const torch::Tensor& x, const torch::Tensor& y, double eps, at::Generator& gen) {
  if (!a.enabled() || eps == 0) return loss(model.forward(x), y).mean();
  const Forward forward = forward_of(model);
  const AttackSpec spec = a.attack_at(eps);

  model.ptr()->eval();
  torch::Tensor x_adv;
  if (a.method == "trades") {
    torch::Tensor clean_outputs;
    {
      torch::NoGradGuard no_grad;
      clean_outputs = forward(x);
    }
    const Victim victim{forward, prediction_kl, a.box, {}};
    x_adv = run_attack(victim, x, clean_outputs, spec, gen);
  } else {
    x_adv = run_attack(Victim{forward, loss, a.box, {}}, x, y, spec, gen);
  }
  model.ptr()->train();

  if (a.method == "trades") {
    const torch::Tensor outputs = forward(x);
    return loss(outputs, y).mean() + a.beta * prediction_kl(outputs, forward(x_adv)).mean();
  }
  const torch::Tensor adversarial = loss(forward(x_adv), y).mean();
  if (a.mix >= 1) return adversarial;
  return (1 - a.mix) * loss(forward(x), y).mean() + a.mix * adversarial;
}

}  // namespace robustlab
