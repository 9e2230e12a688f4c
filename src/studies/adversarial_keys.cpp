#include "studies/adversarial_keys.h"

#include "runtime/user_error.h"

namespace robustlab {

void add_adversarial_keys(Schema& s, const std::string& p, const AdversarialTraining& d) {
  s.text(p + ".method", d.method, "adversarial training: none, pgd (Madry), fast (FGSM + random start), trades, "
                                  "one-step (one gradient-ascent step to the ball's boundary)",
         adversarial_training_methods())
      .text(p + ".norm", norm_name(d.norm), "threat model of the training attack", {"linf", "l2"})
      .number(p + ".eps", d.eps, "radius of the training attack (fractions like 8/255 allowed)", 0)
      .number(p + ".alpha", d.alpha, "absolute step at full eps (0: pgd/trades 2.5*eps/steps, fast 1.25*eps)", 0)
      .integer(p + ".steps", d.steps, "steps of the training attack (pgd, trades)", 1)
      .number(p + ".warmup_epochs", d.warmup_epochs, "eps rises linearly from 0 over this many epochs", 0)
      .number(p + ".mix", d.mix, "lambda: loss = (1 - lambda)*clean + lambda*adversarial (pgd, fast, one-step)", 0, 1)
      .number(p + ".beta", d.beta, "trades: weight of the KL robustness term", 0);
}

AdversarialTraining read_adversarial_keys(const Config& c, const std::string& p, const std::optional<Box>& box) {
  AdversarialTraining a;
  a.method = c.text(p + ".method");
  a.norm = c.text(p + ".norm") == "l2" ? Norm::L2 : Norm::Linf;
  a.eps = c.number(p + ".eps");
  a.alpha = c.number(p + ".alpha");
  a.steps = static_cast<int>(c.integer(p + ".steps"));
  a.warmup_epochs = c.number(p + ".warmup_epochs");
  a.mix = c.number(p + ".mix");
  a.beta = c.number(p + ".beta");
  a.box = box;
  if (a.enabled() && a.eps == 0) throw UserError("config key '" + p + ".eps': adversarial training needs eps > 0");
  check_adversarial_training(a);
  return a;
}

}  // namespace robustlab
