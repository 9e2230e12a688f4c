#include "train/adversarial_training.h"

#include "attacks/norm_ball.h"
#include "attacks/pgd.h"
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
  if (!(a.eps >= 0)) throw UserError("adversarial.eps: must be >= 0");
  if (!(a.alpha >= 0)) throw UserError("adversarial.alpha: must be >= 0");
  if (a.steps < 1) throw UserError("adversarial.steps: must be >= 1");
  if (!(a.mix >= 0 && a.mix <= 1)) throw UserError("adversarial.mix: must be in [0, 1]");
  if (!(a.beta >= 0)) throw UserError("adversarial.beta: must be >= 0");
  if (!(a.warmup_epochs >= 0)) throw UserError("adversarial.warmup_epochs: must be >= 0");
}

double warmed_up_eps(const AdversarialTraining& a, int64_t step, int64_t steps_per_epoch) {
  const double warmup_steps = a.warmup_epochs * static_cast<double>(steps_per_epoch);
  if (warmup_steps <= 0) return a.eps;
  return a.eps * std::min(1.0, static_cast<double>(step + 1) / warmup_steps);
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

torch::Tensor adversarial_training_loss(const AdversarialTraining& a, const Forward& forward,
                                        const std::function<void(bool)>& set_mode, const torch::Tensor& x,
                                        const torch::Tensor& y, double eps, at::Generator& gen) {
  if (!a.enabled() || eps == 0) return per_example_loss(forward(x), y).mean();
  const double alpha_full = a.alpha > 0 ? a.alpha : a.method == "fast" ? 1.25 * a.eps : 2.5 * a.eps / a.steps;
  const double alpha = a.eps > 0 ? alpha_full * eps / a.eps : 0;

  set_mode(false);
  torch::Tensor x_adv;
  torch::Tensor clean_outputs;
  if (a.method == "trades") {
    {
      torch::NoGradGuard no_grad;
      clean_outputs = forward(x);
    }
    const torch::Tensor start = 0.001 * torch::randn(x.sizes(), gen, x.options().device(torch::kCPU)).to(x.device());
    x_adv = pgd_last_iterate(forward, prediction_kl, a.box, x, clean_outputs, start, eps, alpha, a.steps, a.norm);
  } else if (a.method == "pgd" || a.method == "fast") {
    const int steps = a.method == "pgd" ? a.steps : 1;
    x_adv = pgd_last_iterate(forward, per_example_loss, a.box, x, y,
                             random_perturbation(x, eps, a.norm, RandomStart::Ball, gen), eps, alpha, steps, a.norm);
  } else {  // one-step
    x_adv = pgd_last_iterate(forward, per_example_loss, a.box, x, y, torch::zeros_like(x), eps, eps, 1, a.norm);
  }
  set_mode(true);

  if (a.method == "trades") {
    const torch::Tensor outputs = forward(x);
    return per_example_loss(outputs, y).mean() + a.beta * prediction_kl(outputs, forward(x_adv)).mean();
  }
  const torch::Tensor adversarial = per_example_loss(forward(x_adv), y).mean();
  if (a.mix >= 1) return adversarial;
  return (1 - a.mix) * per_example_loss(forward(x), y).mean() + a.mix * adversarial;
}

}  // namespace robustlab
