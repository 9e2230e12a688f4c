// Study "adversarial-training" (Madry, Makelov, Schmidt, Tsipras, Vladu 2018, on Fashion-MNIST):
// the baseline every robustness claim is measured against. The same small CNN is trained twice on
// the same data and order:
//   standard     minimising the clean cross-entropy;
//   adversarial  minimising the cross-entropy at the PGD point of the ℓ∞ ball of radius ε_train,
//                min_θ E max_{‖δ‖∞≤ε} L(x + δ, y)  (train/adversarial_training.h).
// Both are evaluated with FGSM, PGD and `auto` (APGD-CE, APGD-T, Square) over a grid of ℓ∞ radii.
// The claims: the standard net is broken at ε_train, the adversarial one keeps most of its
// accuracy there, and its robustness is real: `auto`, with its black-box member, finds little
// more than PGD does, and no gradient-masking check fires.
#include "studies/adversarial_training.h"

#include "probes/accuracy.h"
#include "probes/gradient_masking.h"
#include "runtime/user_error.h"
#include "studies/adversarial_keys.h"
#include "studies/image_training.h"

namespace robustlab {
namespace {

double accuracy_at(const std::vector<RobustAccuracyPoint>& rows, const std::string& model, const std::string& attack,
                   double eps) {
  for (const auto& r : rows)
    if (r.model == model && r.attack == attack && std::abs(r.eps - eps) <= 1e-12) return r.accuracy;
  throw std::logic_error("no " + attack + " accuracy for " + model + " at eps " + std::to_string(eps));
}

}  // namespace

Schema adversarial_training_schema() {
  Schema s = base_schema();
  ImageKeyDefaults d;
  d.train_size = 10000;
  d.validation_size = 1000;
  d.test_size = 500;
  d.epochs = 5;
  d.adversarial.method = "pgd";
  d.adversarial.eps = 0.1;
  d.adversarial.steps = 7;
  d.adversarial.warmup_epochs = 1;
  add_image_training_keys(s, d);
  s.texts("attack.names", {"fgsm", "pgd-linf", "auto"}, "attacks run at every eps", {"fgsm", "pgd-linf", "apgd-ce", "apgd-t", "square", "auto"})
      .numbers("attack.eps", {0.05, 0.1, 0.15}, "linf radii", 0)
      .integer("attack.steps", 20, "PGD and APGD iterations", 1)
      .number("attack.alpha_per_eps", 0.25, "PGD step size as a fraction of eps", 1e-9)
      .integer("attack.restarts", 1, "PGD restarts", 1)
      .integer("attack.targets", 3, "APGD-T target classes", 1)
      .integer("attack.queries", 500, "Square queries per example (AutoAttack: 5000)", 1)
      .number("verify.max_standard_accuracy", 0.15, "standard net under the worst attack at adversarial.eps: at most", 0, 1)
      .number("verify.min_gain", 0.4, "adversarial - standard robust accuracy at adversarial.eps: at least", 0, 1)
      .number("verify.max_auto_gap", 0.05, "adversarial net: PGD accuracy - worst accuracy at adversarial.eps: at most", 0, 1);
  return s;
}

StudyResult run_adversarial_training(const Config& c, const RunContext& ctx) {
  const uint64_t seed = static_cast<uint64_t>(c.integer("seed"));
  StudyResult result;
  result.study = "adversarial-training";
  result.seed = seed;
  result.norm = "linf";

  const ImageTask task = load_image_task(c);
  const int64_t outputs = is_binary(task.labels) ? 1 : task.classes();
  const Dataset train_set = apply_label_map(task.splits.train, task.labels, task.classes());
  const Dataset validation = apply_label_map(task.splits.validation, task.labels, task.classes());
  const Dataset test = apply_label_map(task.splits.test, task.labels, task.classes()).to(ctx.device);
  const ImageModelSpec spec = image_model_spec(c, task.data, outputs);
  const double train_eps = c.number("adversarial.eps");
  if (c.text("adversarial.method") == "none") throw UserError("adversarial.method: this study compares against adversarial training; pick pgd, fast, trades or one-step");
  if (c.text("adversarial.norm") != "linf") throw UserError("adversarial.norm: the study's attacks are linf; train with linf");

  std::vector<AttackPlan> plans;
  for (const auto& name : c.texts("attack.names")) {
    AttackPlan plan{name, c.number("attack.alpha_per_eps"), static_cast<int>(c.integer("attack.steps")),
                    RandomStart::Ball, static_cast<int>(c.integer("attack.restarts")), {}};
    plan.targets = static_cast<int>(c.integer("attack.targets"));
    plan.queries = static_cast<int>(c.integer("attack.queries"));
    plans.push_back(plan);
  }
  std::vector<double> grid{0.0};
  for (double e : c.numbers("attack.eps"))
    if (e > 0) grid.push_back(e);
  std::sort(grid.begin(), grid.end());
  // The claims read the curves at the training radius: refuse a grid without it before training.
  if (std::none_of(grid.begin(), grid.end(), [&](double e) { return std::abs(e - train_eps) <= 1e-12; }))
    throw UserError("config key 'attack.eps': must contain adversarial.eps = " + claim_text("%g", train_eps) +
                    ", where the claims are checked");

  const std::string config_toml = c.to_toml();
  TrainOptions standard_options = training_options(c);
  standard_options.adversarial = AdversarialTraining{};
  const TrainOptions adversarial_options = training_options(c);
  for (const auto& [name, options] : {std::pair<std::string, TrainOptions>{"standard", standard_options},
                                      {"adversarial", adversarial_options}}) {
    TrainedClassifier trained = train_image_classifier(name, spec, train_set, validation, options, seed, ctx.device);
    ImageClassifier net = trained.model;
    const Forward forward = [net](const torch::Tensor& x) mutable { return net->forward(x); };
    const Victim victim = make_victim(forward, test.box);
    const auto rows = robust_accuracy_curve(name, victim, test.inputs, test.labels, plans, grid, seed);
    result.robust_accuracy.insert(result.robust_accuracy.end(), rows.begin(), rows.end());
    for (auto& w : gradient_masking_warnings(name, victim, test.inputs, test.labels, rows, seed))
      result.warnings.push_back(std::move(w));
    ModelSummary summary{name, accuracy(forward, test.inputs, test.labels),
                         critical_radius(result.robust_accuracy, name, "linf"), {}};
    summary.metrics = {{"final_train_loss", trained.log.epochs.back().train_loss},
                       {"robust_accuracy_at_training_eps", accuracy_at(rows, name, "worst", train_eps)}};
    result.models.push_back(summary);
    result.saved_models.push_back({name + ".pt", make_state_file(*net, model_file_texts(spec, task, config_toml))});
  }

  const double standard = accuracy_at(result.robust_accuracy, "standard", "worst", train_eps);
  const double adversarial = accuracy_at(result.robust_accuracy, "adversarial", "worst", train_eps);
  const double adversarial_pgd = accuracy_at(result.robust_accuracy, "adversarial", "pgd-linf", train_eps);
  const double max_standard = c.number("verify.max_standard_accuracy"), min_gain = c.number("verify.min_gain");
  const double max_gap = c.number("verify.max_auto_gap");
  bool adversarial_warned = false;
  for (const auto& w : result.warnings) adversarial_warned |= w.rfind("adversarial", 0) == 0;
  result.claims = {
      {"the standard net is not robust at the training eps",
       claim_text("worst-case accuracy at eps %.3g <= %.2f", train_eps, max_standard),
       claim_text("%.4f", standard), standard <= max_standard},
      {"adversarial training makes it robust there",
       claim_text("adversarial - standard worst-case accuracy at eps %.3g >= %.2f", train_eps, min_gain),
       claim_text("adversarial %.4f, standard %.4f (gain %.4f)", adversarial, standard, adversarial - standard),
       adversarial - standard >= min_gain},
      {"the adversarial net's robustness is not gradient masking",
       claim_text("PGD - worst (auto included) at eps %.3g <= %.2f, and no masking warning", train_eps, max_gap),
       claim_text("PGD %.4f, worst %.4f", adversarial_pgd, adversarial) +
           (adversarial_warned ? "; masking warnings fired" : "; no masking warning"),
       adversarial_pgd - adversarial <= max_gap && !adversarial_warned},
  };
  result.explanation =
      "The same " + spec.architecture + " is trained on " + task.data.name +
      " twice: on clean inputs (**standard**) and on PGD adversarial inputs at linf eps " + claim_text("%g", train_eps) +
      " (**adversarial**, method " + c.text("adversarial.method") +
      "). Both are attacked with FGSM, PGD and `auto` (APGD-CE, APGD-T and the black-box Square "
      "attack, per-example worst case). Standard training leaves a net that small perturbations break; "
      "adversarial training buys robustness at the training radius for some clean accuracy. That the "
      "robustness is real, and not hidden gradients, is checked by `auto` finding little more than PGD "
      "and by the gradient-masking checks (one-step vs iterative, black-box vs white-box, unbounded "
      "eps, zero gradients).";
  return result;
}

}  // namespace robustlab
