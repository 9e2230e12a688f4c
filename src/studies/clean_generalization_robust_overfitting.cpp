// Study 4, "Why Clean Generalization and Robust Overfitting Both Happen in Adversarial Training"
// (Binghui Li, Yuanzhi Li), on its patch data: the claim, the setting and why it shows the
// mechanism are in `explanation` below.
#include "data/synthetic/signal_noise_patches.h"
#include "experiment/claims.h"
#include "experiment/evaluate.h"
#include "experiment/fit.h"
#include "experiment/study.h"
#include "models/two_layer/patch_cnn.h"
#include "probes/accuracy.h"
#include "probes/loss_landscape.h"
#include "runtime/memory_budget.h"

namespace robustlab {
namespace {

std::string explanation(const SignalNoisePatchesOptions& d, double radius) {
  return claim_text(
             "Each input is %.0f patches; one holds the signal alpha y w* (alpha = %.3g), the others noise of "
             "%.3g per coordinate, orthogonal to w*. ",
             static_cast<double>(d.patches), d.signal_strength, d.noise_std) +
         claim_text(
             "With N = %.0f training points in d = %.0f, each point's noise is nearly orthogonal to every other's, "
             "so a wide net can fit any one of them by a filter of its own. ",
             static_cast<double>(d.train_size), static_cast<double>(d.d)) +
         claim_text(
             "Adversarial training (PGD, l2 radius delta = %.3g, a fraction of alpha) first grows the signal "
             "component U = max_r <w_{y,r}, w*>: that is what all points share, and it makes clean test points "
             "right. ",
             radius) +
         "With ReLU^q the signal's margin under attack, ~ U^q (alpha - delta)^q, grows slowly once the clean "
         "loss is small, while each training point's adversarial loss is still large: gradient descent then "
         "fits each training point's own noise, V_i = max_r <w_{y_i,r}, xi_i>/||xi_i|| rises to order 1, and "
         "robust training accuracy reaches 1. Test points have no memorised noise, so they are clean-correct "
         "and robust-wrong: clean generalisation with robust overfitting. The landscape probes show it: the "
         "loss is flat within delta of a training point (its memorised noise holds it) and sharp beyond, and "
         "sharper at test points. At a smaller delta (0.5 alpha) the signal left under attack suffices, nothing "
         "is memorised and the gap closes.";
}

// PGD adversarial training in ℓ2 at radius δ = radius_per_alpha·α.
struct AdversarialSetting {
  double radius_per_alpha = 0.9;
  int steps = 5;
  int64_t warmup_steps = 0;
  void fields(Fields& f) {
    f.field("radius_per_alpha", radius_per_alpha, "delta / alpha: the l2 radius of training and of the claims", {1e-9});
    f.field("steps", steps, "PGD steps of the training attack", {1, 1000});
    f.field("warmup_steps", warmup_steps, "delta rises linearly from 0 over this many steps", {0});
  }
};

struct LandscapeProbes {
  std::vector<double> radii_per_delta = {0.5, 1, 2, 3};
  int64_t points = 100;
  int steps = 10;
  void fields(Fields& f) {
    f.field("radii_per_delta", radii_per_delta, "radii of the loss-landscape probes, in units of delta", {0});
    f.field("points", points, "training and test points probed", {1});
    f.field("steps", steps, "PGD steps of the probes", {1, 1000});
  }
};

struct Verify {
  double min_clean_test = 0.9;
  double min_robust_train = 0.9;
  double min_robust_gap = 0.3;
  double stage_fraction = 0.5;
  double max_late_u_growth = 1.3;
  double min_memorisation = 0.3;
  double max_flat_loss = 0.5;
  double min_sharpness_ratio = 3;

  void fields(Fields& f) {
    f.field("min_clean_test", min_clean_test, "clean test accuracy at least", {0, 1});
    f.field("min_robust_train", min_robust_train, "robust training accuracy at least", {0, 1});
    f.field("min_robust_gap", min_robust_gap, "robust train - robust test accuracy at least", {0, 1});
    f.field("stage_fraction", stage_fraction, "a quantity's stage starts when it crosses this fraction of its final value",
            {0, 1});
    f.field("max_late_u_growth", max_late_u_growth, "U at the end at most this times U at mid-training (it stalls)",
            {1});
    f.field("min_memorisation", min_memorisation, "mean V_i at the end at least", {0});
    f.field("max_flat_loss", max_flat_loss, "training points: largest loss increase within delta at most", {0});
    f.field("min_sharpness_ratio", min_sharpness_ratio,
            "largest loss increase: outside delta (train) and within delta (test) at least this times train's within", {0});
  }
};

struct CleanGeneralizationRobustOverfitting {
  SignalNoisePatchesOptions data;
  PatchCnnOptions model;
  TrainOptions train;
  AdversarialSetting adversarial;
  LandscapeProbes landscape;
  int64_t record_every = 25;
  Verify verify;

  // P = 4 patches of d = 200, α = 1, σ_p = 0.2 (‖ξ‖ ≈ 2.8); N = 100 training points; m = 100
  // ReLU^3 filters per sign (width of order N), init std 0.01; full-batch GD, lr 0.5, 1500 steps;
  // ℓ2 PGD-5 at δ = 0.9α. Why: at δ = 0.5α the signal alone is robust (U³(α − δ)³ beats the
  // noise) and nothing is memorised; at δ = 0.9α what is left of the signal under attack is too
  // weak, and the training points are made robust by their own noise. An ε warm-up lets U grow
  // on near-clean inputs first and removes the overfitting (measured: robust test 1.0).
  static CleanGeneralizationRobustOverfitting paper() {
    CleanGeneralizationRobustOverfitting p;
    p.data.patches = 4;
    p.data.d = 200;
    p.data.noise_std = 0.2;
    p.model.activation = "relu-power";
    p.model.width = 100;
    p.model.init_std = 0.01;
    p.train.optimizer = "gd";
    p.train.lr = 0.5;
    p.train.steps = 1500;
    return p;
  }
  void fields(Fields& f) {
    f.group("data", data);
    f.group("model", model);
    f.group("train", train);
    f.group("adversarial", adversarial);
    f.group("landscape", landscape);
    f.field("record_every", record_every, "steps between records of U, V and the accuracies", {1});
    f.group("verify", verify);
  }
  void check() const {
    const double n = static_cast<double>(data.train_size + data.test_size) * static_cast<double>(data.patches);
    require_memory("this config (data sizes, width)",
                   4 * n * (3 * static_cast<double>(data.d) + 12 * 2 * static_cast<double>(model.width)));
  }
  Workload workload() const { return Workload::Elementwise; }
  double radius() const { return adversarial.radius_per_alpha * data.signal_strength; }
};

// U: the filters' largest projection on the signal, ⟨w_{+1,r}, w*⟩ and ⟨w_{−1,r}, −w*⟩, averaged
// over the two signs.
double signal_component(const PatchCnn& net, const at::Tensor& w_star) {
  torch::NoGradGuard no_grad;
  const at::Tensor along = net->weight.detach().matmul(w_star);  // [2, m]
  return 0.5 * (along[1].max() + (-along[0]).max()).item<double>();
}

// V_i: the largest projection of a filter of y_i's bank on a unit noise patch of example i.
at::Tensor memorisation(const PatchCnn& net, const Dataset& train, const at::Tensor& signal_patch) {
  torch::NoGradGuard no_grad;
  const at::Tensor bank = (train.labels > 0).to(torch::kInt64);                      // [N]
  const at::Tensor filters = net->weight.detach().index_select(0, bank);             // [N, m, d]
  const at::Tensor unit = train.inputs / train.inputs.norm(2, {2}, true).clamp_min(1e-12);  // [N, P, d]
  at::Tensor projections = unit.matmul(filters.transpose(1, 2)).amax(2);            // [N, P]
  const at::Tensor rows = torch::arange(train.size(), torch::kInt64);
  projections.index_put_({rows, signal_patch}, -std::numeric_limits<float>::infinity());  // noise patches only
  return projections.amax(1).to(torch::kFloat64);
}

// The recorded value at the middle of training.
double value_at_half(const std::vector<std::pair<int64_t, double>>& series) {
  const int64_t middle = series.back().first / 2;
  for (const auto& [step, value] : series)
    if (step >= middle) return value;
  return series.back().second;
}

// The first recorded step at which a series reaches `fraction` of its final value.
int64_t stage_start(const std::vector<std::pair<int64_t, double>>& series, double fraction) {
  const double target = fraction * series.back().second;
  for (const auto& [step, value] : series)
    if (value >= target) return step;
  return series.back().first;
}

StudyResult run(const CleanGeneralizationRobustOverfitting& o, const RunContext& ctx) {
  StudyResult result;
  result.study = "clean-generalization-robust-overfitting";
  result.seed = ctx.seed;
  result.norm = "l2";
  const double delta = o.radius();
  result.explanation = explanation(o.data, delta);

  at::Generator data_gen = make_generator(ctx.seed, "data");
  const SignalNoisePatches data = make_signal_noise_patches(o.data, data_gen);
  const Dataset train_set = data.train.to(ctx.device), test = data.test.to(ctx.device);
  PatchCnnOptions model_options = o.model;
  model_options.d = o.data.d;
  model_options.classes = 2;
  model_options.binary = true;
  PatchCnn net = build<PatchCnn>("cnn", model_options, ctx);
  const Victim victim = make_victim(forward_of(torch::nn::AnyModule(net)));

  AttackSpec pgd;
  pgd.name = "pgd-l2";
  pgd.steps = 10;
  const auto robust_accuracy = [&](const Dataset& set, const char* stream) {
    at::Generator gen = make_generator(ctx.seed, stream);
    return accuracy(victim.forward, run_attack(victim, set.inputs, set.labels, pgd.at(delta), gen), set.labels);
  };

  Table stages("training_stages", {text_key("quantity"), integer_key("step"), value("value")},
               "U = max_r <w_{y,r}, w*> and V_i = max_r <w_{y_i,r}, xi_i>/||xi_i|| (mean and quantiles over the "
               "training points) over training.");
  Table accuracies("accuracy_over_training", {text_key("split"), text_key("kind"), integer_key("step"), value("accuracy")});
  std::vector<std::pair<int64_t, double>> u_series, v_series;
  TrainOptions options = o.train;
  options.adversarial.method = "pgd";
  options.adversarial.norm = Norm::L2;
  options.adversarial.eps = delta;
  options.adversarial.steps = o.adversarial.steps;
  options.adversarial.warmup_epochs = static_cast<double>(o.adversarial.warmup_steps);  // full batch: a step an epoch
  options.on_step_every = o.record_every;
  options.on_step = [&](int64_t step) {
    const double u = signal_component(net, data.signal);
    const at::Tensor v = memorisation(net, data.train, data.train_signal_patch);
    const at::Tensor q = torch::quantile(v, torch::tensor({0.1, 0.9}, torch::kFloat64));
    stages.add({"signal U", step, u});
    stages.add({"memorisation V mean", step, v.mean().item<double>()});
    stages.add({"memorisation V q10", step, q[0].item<double>()});
    stages.add({"memorisation V q90", step, q[1].item<double>()});
    u_series.emplace_back(step, u);
    v_series.emplace_back(step, v.mean().item<double>());
    for (const auto& [split, set] : {std::pair<std::string, const Dataset*>{"train", &train_set}, {"test", &test}}) {
      accuracies.add({split, "clean", step, accuracy(victim.forward, set->inputs, set->labels)});
      accuracies.add({split, "robust", step, robust_accuracy(*set, ("over-training/" + split).c_str())});
    }
  };
  fit("cnn", torch::nn::AnyModule(net), train_set.inputs, train_set.labels, options, ctx);

  // Final accuracies, each with its standard error.
  const Estimate clean_test = proportion(accuracy(victim.forward, test.inputs, test.labels), test.size());
  const Estimate robust_train = proportion(robust_accuracy(train_set, "final/train"), train_set.size());
  const Estimate robust_test = proportion(robust_accuracy(test, "final/test"), test.size());
  ModelSummary summary;
  summary.name = "adversarial";
  summary.clean_accuracy = clean_test.value;
  summary.metrics = {{"clean_train", accuracy(victim.forward, train_set.inputs, train_set.labels)},
                     {"robust_train", robust_train.value},
                     {"robust_test", robust_test.value},
                     {"signal_U", u_series.back().second},
                     {"memorisation_mean", v_series.back().second}};
  result.models.push_back(summary);

  // Loss landscape at training and test points, inside and outside δ.
  Table landscape("loss_landscape", {text_key("points"), value("radius"), value("max_gradient_norm"),
                                     value("max_loss_increase")},
                  "Within an l2 ball of radius r around each point: the largest ||grad_x L|| and the largest loss "
                  "increase (PGD on each), mean over the points.");
  landscape.in_report = true;
  std::map<std::pair<std::string, double>, double> increase;
  LandscapeOptions probe;
  probe.norm = Norm::L2;
  probe.steps = o.landscape.steps;
  for (const auto& [name, set] : {std::pair<std::string, const Dataset*>{"train", &train_set}, {"test", &test}}) {
    const int64_t n = std::min(o.landscape.points, set->size());
    for (const double per_delta : o.landscape.radii_per_delta) {
      const double r = per_delta * delta;
      const Landscape l = loss_landscape(victim, set->inputs.narrow(0, 0, n), set->labels.narrow(0, 0, n), r, probe);
      landscape.add({name, r, l.max_gradient_norm, l.max_loss_increase});
      increase[{name, per_delta}] = l.max_loss_increase;
    }
  }
  result.tables = {stages, accuracies, landscape};
  Figure stage_figure = Figure::lines("training_stages", "training_stages", "step", "value", {"quantity"},
                                      result.study + ": signal U and memorisation V over training");
  Figure accuracy_figure = Figure::lines("accuracy_over_training", "accuracy_over_training", "step", "accuracy",
                                         {"split", "kind"}, result.study + ": clean and robust accuracy over training");
  accuracy_figure.ymin = 0;
  accuracy_figure.ymax = 1.05;
  Figure landscape_figure = Figure::lines("loss_landscape", "loss_landscape", "radius", "max_loss_increase", {"points"},
                                          result.study + ": largest loss increase within radius r");
  landscape_figure.references = {{"training delta", delta}};
  result.figures = {stage_figure, accuracy_figure, landscape_figure};

  // Claims.
  const Verify& v = o.verify;
  Claim cgro = claim_at_least("clean generalisation with robust overfitting",
                              "robust train - robust test accuracy", independent_difference(robust_train, robust_test),
                              v.min_robust_gap);
  cgro.expected += claim_text("; clean test >= %.2g and robust train >= %.2g (-2 SE)", v.min_clean_test, v.min_robust_train);
  cgro.measured += claim_text("; clean test %.3f, robust train %.3f, robust test %.3f", clean_test.value,
                              robust_train.value, robust_test.value);
  cgro.pass = cgro.pass && clean_test.value >= v.min_clean_test - kClaimZ * clean_test.se &&
              robust_train.value >= v.min_robust_train - kClaimZ * robust_train.se;
  const int64_t u_stage = stage_start(u_series, v.stage_fraction), v_stage = stage_start(v_series, v.stage_fraction);
  const double u_half = value_at_half(u_series);
  const Claim stages_claim{
      "the signal grows and stalls, and the training noise is memorised",
      claim_text("U over the second half of training grows by at most %.2g x; final mean V >= %.2g", v.max_late_u_growth,
                 v.min_memorisation),
      claim_text("U %.3f at mid-training, %.3f at the end; mean V %.3f at the end", u_half, u_series.back().second,
                 v_series.back().second) +
          claim_text("; U reaches %.2g of its final value at step %.0f, V at step %.0f", v.stage_fraction,
                     static_cast<double>(u_stage), static_cast<double>(v_stage)),
      u_series.back().second <= v.max_late_u_growth * u_half && v_series.back().second >= v.min_memorisation};
  const double flat = increase[{"train", 1.0}];
  double outside = 0;
  for (const auto& [key, value] : increase)
    if (key.first == "train" && key.second > 1) outside = std::max(outside, value);
  const double test_inside = increase[{"test", 1.0}];
  const Claim landscape_claim{
      "the loss is flat within delta of training points, sharp beyond it and at test points",
      claim_text("train loss increase within delta <= %.2g; beyond delta and at test points (within delta) >= %.2g x it",
                 v.max_flat_loss, v.min_sharpness_ratio),
      claim_text("train within delta %.4f, train beyond %.4f, test within delta %.4f", flat, outside, test_inside),
      flat <= v.max_flat_loss && outside >= v.min_sharpness_ratio * flat && test_inside >= v.min_sharpness_ratio * flat};
  result.claims = {cgro, stages_claim, landscape_claim};
  return result;
}

}  // namespace

Study clean_generalization_robust_overfitting_study() {
  return make_study<CleanGeneralizationRobustOverfitting>(
      "clean-generalization-robust-overfitting",
      "adversarial training learns the signal, then memorises training noise: clean test right, robust test "
      "wrong (Li & Li, patch data, ReLU^q CNN)",
      run);
}

}  // namespace robustlab
