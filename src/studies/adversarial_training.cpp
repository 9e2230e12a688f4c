// Study "adversarial-training" (Madry, Makelov, Schmidt, Tsipras, Vladu 2018, on Fashion-MNIST):
// the baseline every robustness claim is measured against. The claim and how it is checked are
// in the explanation built by `explanation` below.
#include "experiment/attack_keys.h"
#include "experiment/claims.h"
#include "experiment/evaluate.h"
#include "experiment/fit.h"
#include "experiment/image_task.h"
#include "experiment/study.h"
#include "runtime/memory_budget.h"
#include "runtime/user_error.h"

namespace robustlab {
namespace {

std::string explanation(const ImageTask& task, const ImageTraining& image) {
  return "The same " + image.model.architecture + " is trained on " + task.data.name +
         " twice: on clean inputs (**standard**) and on PGD adversarial inputs at linf eps " +
         claim_text("%g", image.adversarial.eps) + " (**adversarial**, method " + image.adversarial.method +
         "). Both are attacked with FGSM, PGD and `auto` (APGD-CE, APGD-T and the black-box Square "
         "attack, per-example worst case). Standard training leaves a net that small perturbations break; "
         "adversarial training buys robustness at the training radius for some clean accuracy. That the "
         "robustness is real, and not hidden gradients, is checked by `auto` finding little more than PGD "
         "and by the gradient-masking checks (one-step vs iterative, black-box vs white-box, unbounded "
         "eps, zero gradients).";
}

struct Verify {
  double max_standard_accuracy = 0.15;
  double min_gain = 0.4;
  double max_auto_gap = 0.05;

  void fields(Fields& f) {
    f.field("max_standard_accuracy", max_standard_accuracy,
            "standard net under the worst attack at adversarial.eps: at most", {0, 1});
    f.field("min_gain", min_gain, "adversarial - standard robust accuracy at adversarial.eps: at least", {0, 1});
    f.field("max_auto_gap", max_auto_gap, "adversarial net: PGD accuracy - worst accuracy at adversarial.eps: at most",
            {0, 1});
  }
};

struct AdversarialTrainingStudy {
  ImageTraining image;
  AttackKeys attack;
  Verify verify;

  // A small CNN on 10000 Fashion-MNIST images, 5 epochs; adversarially with ℓ∞ PGD-7 at ε = 0.1
  // after one epoch of ε warm-up. Attacks at AutoAttack-lite settings for CPU time.
  static AdversarialTrainingStudy paper() {
    AdversarialTrainingStudy p;
    p.image = ImageTraining::defaults();
    p.image.data.train_size = 10000;
    p.image.data.validation_size = 1000;
    p.image.data.test_size = 500;
    p.image.train.epochs = 5;
    p.image.adversarial.method = "pgd";
    p.image.adversarial.eps = 0.1;
    p.image.adversarial.steps = 7;
    p.image.adversarial.warmup_epochs = 1;
    p.attack.names = {"fgsm", "pgd-linf", "auto"};
    p.attack.eps = {0.05, 0.1, 0.15};
    p.attack.spec.steps = 20;
    p.attack.spec.targets = 3;
    p.attack.spec.queries = 500;  // AutoAttack: 5000
    return p;
  }

  void fields(Fields& f) {
    image.fields(f);
    f.group("attack", attack);
    f.group("verify", verify);
  }

  void check() const {
    if (image.adversarial.method == "none")
      throw UserError("adversarial.method: this study compares against adversarial training; pick pgd, fast, trades or one-step");
    if (image.adversarial.norm != Norm::Linf)
      throw UserError("adversarial.norm: the study's attacks are linf; train with linf");
    check_adversarial_training(image.adversarial);
    require_memory("this config (data, " + image.model.architecture + " x 2)", image.memory_bytes(2));
    // The claims read PGD's curve at the training radius: refuse a config without them before training.
    if (std::find(attack.names.begin(), attack.names.end(), "pgd-linf") == attack.names.end())
      throw UserError("config key 'attack.names': must include pgd-linf, which the claims compare with the worst case");
    const std::vector<double> grid = attack.grid();
    if (std::none_of(grid.begin(), grid.end(), [&](double e) { return std::abs(e - image.adversarial.eps) <= 1e-12; }))
      throw UserError("config key 'attack.eps': must contain adversarial.eps = " + claim_text("%g", image.adversarial.eps) +
                      ", where the claims are checked");
  }
  Workload workload() const { return image.workload(); }
};

StudyResult run(const AdversarialTrainingStudy& o, const RunContext& ctx) {
  StudyResult result;
  result.study = "adversarial-training";
  result.seed = ctx.seed;
  result.norm = "linf";

  const ImageTask task = load_image_task(o.image.data);
  const Dataset test = task.test().to(ctx.device);
  const ImageModelSpec spec = image_model_spec(o.image.model, task.data, task.outputs());
  const double train_eps = o.image.adversarial.eps;
  result.explanation = explanation(task, o.image);

  // The same network, trained on clean inputs and on PGD inputs, then attacked the same way.
  TrainOptions standard_options = o.image.training_options();
  standard_options.adversarial = AdversarialTraining{};
  const TrainOptions adversarial_options = o.image.training_options();
  std::vector<Evaluation> evaluations;
  Table losses = training_loss_table();
  for (const auto& [name, options] : {std::pair<std::string, TrainOptions>{"standard", standard_options},
                                      {"adversarial", adversarial_options}}) {
    TrainedClassifier trained = train_image_classifier(name, spec, task.train(), task.validation(), options, ctx);
    add_training_loss(losses, name, trained.log);
    const torch::nn::AnyModule net(trained.model);
    Evaluation e = evaluate(name, make_victim(forward_of(net), test.box), test, o.attack.grids(), "linf", ctx.seed);
    e.summary.metrics = {{"final_train_loss", trained.log.epochs.back().train_loss},
                         {"robust_accuracy_at_training_eps", accuracy_at(e.curve, name, kWorst, "linf", train_eps)}};
    record(result, e);
    evaluations.push_back(e);
    result.saved_models.push_back({name + ".pt", model_file(trained.model, task.model_task(), ctx.config_toml)});
  }
  result.tables.push_back(losses);
  result.figures = {robust_accuracy_figure(result.study, "linf"), training_loss_figure(result.study)};

  // Claims, at the training radius: each compares per-example outcomes on the same test points.
  const Evaluation& standard = evaluations[0];
  const Evaluation& adversarial = evaluations[1];
  const Verify& v = o.verify;
  const Estimate pgd_gap = proportion(accuracy_at(adversarial.curve, "adversarial", "pgd-linf", "linf", train_eps) -
                                          adversarial.worst_case("linf", train_eps).value,
                                      adversarial.examples);
  const bool adversarial_warned = !result.warnings_of("adversarial").empty();
  Claim not_masked = claim_at_most("the adversarial net's robustness is not gradient masking",
                                   "PGD - worst-case (auto included) accuracy at eps " + claim_text("%.3g", train_eps),
                                   pgd_gap, v.max_auto_gap);
  not_masked.expected += "; and no masking warning";
  not_masked.measured += adversarial_warned ? "; masking warnings fired" : "; no masking warning";
  not_masked.pass = not_masked.pass && !adversarial_warned;
  result.claims = {
      learned_claim({&standard, &adversarial}),
      claim_at_most("the standard net is not robust at the training eps",
                    "worst-case accuracy at eps " + claim_text("%.3g", train_eps), standard.worst_case("linf", train_eps),
                    v.max_standard_accuracy),
      claim_at_least("adversarial training makes it robust there",
                     "adversarial - standard worst-case accuracy at eps " + claim_text("%.3g", train_eps),
                     paired_difference(adversarial.robust_at("linf", train_eps), standard.robust_at("linf", train_eps)),
                     v.min_gain),
      not_masked,
  };
  return result;
}

}  // namespace

Study adversarial_training_study() {
  return make_study<AdversarialTrainingStudy>(
      "adversarial-training",
      "PGD adversarial training (Madry 2018) against standard training of the same CNN, evaluated with "
      "FGSM, PGD and AutoAttack, with gradient-masking checks (Fashion-MNIST)",
      run);
}

}  // namespace robustlab
