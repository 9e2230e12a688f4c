// Study 4, "Why Clean Generalization and Robust Overfitting Both Happen in Adversarial Training"
// (Binghui Li, Yuanzhi Li), on its patch data: the claim, the setting and why it shows the
// mechanism are in `explanation` below.
#include "data/synthetic/signal_noise_patches.h"
#include "experiment/claims.h"
#include "experiment/evaluate.h"
#include "experiment/fit.h"
#include "experiment/image_task.h"
#include "experiment/study.h"
#include "models/two_layer/patch_cnn.h"
#include "probes/accuracy.h"
#include "probes/loss_landscape.h"
#include "runtime/memory_budget.h"
#include "runtime/user_error.h"

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
             "Adversarial training (PGD, l2 radius delta = %.3g, a fraction of alpha) grows the signal component "
             "U = max_r <w_{y,r}, w*>, which all points share and which makes clean test points right. ",
             radius) +
         "But what the attack leaves of the signal, ~ U^q (alpha - delta)^q, is small, so gradient descent also "
         "lowers each training point's adversarial loss by fitting that point's own noise: V_i = max_r "
         "<w_{y_i,r}, xi_i>/||xi_i|| rises to order 1 alongside U (at this setting the two rise together, U "
         "marginally first; an eps warm-up lets U grow alone and removes the overfitting), U stalls, and "
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
  std::vector<double> radii = {0.5, 1, 2, 3};
  int64_t points = 100;
  int steps = 10;
  void fields(Fields& f) {
    f.field("radii", radii, "radii of the loss-landscape probes, as multiples of the training radius", {0});
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

// The paper's real-image experiment (its MNIST LeNet-5 one), on Fashion-MNIST by default with an
// MLP for CPU time: PGD adversarial training on few images for many epochs, at several widths
// (model.hidden times each multiplier), robust accuracy on training and test points after every
// few epochs, and the landscape probes at the end.
struct ImagesVerify {
  double stall_tolerance = 0.02;
  double min_late_train_gain = 0.05;
  double min_gap = 0.15;
  double min_width_gain = 0.05;
  double max_flat_loss = 0.5;
  double min_sharpness_ratio = 1.5;
  void fields(Fields& f) {
    f.field("stall_tolerance", stall_tolerance, "robust test accuracy has stalled once within this of its best", {0, 1});
    f.field("min_late_train_gain", min_late_train_gain,
            "widest net: robust train accuracy gained after robust test accuracy stalled, at least", {0, 1});
    f.field("min_gap", min_gap, "widest net: final robust train - robust test accuracy at least", {0, 1});
    f.field("min_width_gain", min_width_gain, "robust train accuracy, widest - narrowest net: at least", {0, 1});
    f.field("max_flat_loss", max_flat_loss, "widest net: train loss increase within eps at most", {0});
    f.field("min_sharpness_ratio", min_sharpness_ratio,
            "widest net: loss increase beyond eps (train) and within eps (test) at least this times train's within", {0});
  }
};

struct ImagesPart {
  bool enabled = true;
  ImageTraining image;
  std::vector<int64_t> width_multipliers = {1, 4, 16};
  int64_t probe_points = 500;
  int64_t record_every_epochs = 10;
  LandscapeProbes landscape;
  ImagesVerify verify;

  void fields(Fields& f) {
    f.field("enabled", enabled, "run the real-image part");
    image.fields(f);
    f.field("width_multipliers", width_multipliers, "the MLP's hidden widths are model.hidden times each", {1, 1024});
    f.field("probe_points", probe_points, "training and test points whose robust accuracy is recorded", {1});
    f.field("record_every_epochs", record_every_epochs, "epochs between records of the accuracies", {1});
    f.group("landscape", landscape);
    f.group("verify", verify);
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
  ImagesPart images;

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
    // Images: 500 Fashion-MNIST training images (few, so that they can be fitted robustly), 100
    // epochs of linf PGD-5 at eps 0.1 (1 epoch of eps warm-up), SGD without weight decay; MLPs
    // of 64, 256 and 1024 units per hidden layer. Accuracies on all 500 and on 500 test images.
    ImageTraining& image = p.images.image;
    image = ImageTraining::defaults();
    image.data.train_size = 500;
    image.data.validation_size = 500;
    image.data.test_size = 1000;
    image.model.architecture = "mlp";
    image.model.hidden = {64, 64};
    image.train.epochs = 100;
    image.train.weight_decay = 0;
    image.adversarial.method = "pgd";
    image.adversarial.eps = 0.1;
    image.adversarial.steps = 5;
    image.adversarial.warmup_epochs = 1;
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
    f.group("images", images);
  }
  void check() const {
    if (images.enabled) {
      if (images.image.model.architecture != "mlp")
        throw UserError("images.model.architecture: the width sweep scales an mlp's hidden layers; use mlp");
      if (images.image.adversarial.method == "none" || images.image.adversarial.norm != Norm::Linf)
        throw UserError("images.adversarial: robust overfitting is shown under linf adversarial training");
      check_adversarial_training(images.image.adversarial);
      ImageTraining widest = images.image;
      for (auto& h : widest.model.hidden)
        h *= *std::max_element(images.width_multipliers.begin(), images.width_multipliers.end());
      require_memory("this config (images part)", widest.memory_bytes(1));
    }
    const double n = static_cast<double>(data.train_size + data.test_size) * static_cast<double>(data.patches);
    require_memory("this config (data sizes, width)",
                   4 * n * (3 * static_cast<double>(data.d) + 12 * 2 * static_cast<double>(model.width)));
  }
  Workload workload() const { return images.enabled ? images.image.workload() : Workload::Elementwise; }
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

// The loss-landscape table of a run: for each model, training and test points and radius r (also
// as a multiple of the training radius), the largest gradient norm and loss increase in the ball.
Table landscape_table() {
  Table t("loss_landscape", {text_key("model"), text_key("points"), value("radius_per_eps"), value("radius"),
                             value("max_gradient_norm"), value("max_loss_increase")},
          "Within a ball of radius r around each point (the training attack's norm): the largest ||grad_x L|| (dual "
          "norm) and the largest loss increase, each found by PGD on itself, mean over the points.");
  t.in_report = true;
  return t;
}

// The largest loss increase within the training radius at training and at test points, and the
// largest beyond it at training points.
struct LandscapeReading {
  double train_within = 0, train_beyond = 0, test_within = 0;
};

LandscapeReading probe_landscape(Table& table, const std::string& model, const Victim& victim, const Dataset& train,
                                 const Dataset& test, double radius, Norm norm, const LandscapeProbes& o) {
  LandscapeOptions probe;
  probe.norm = norm;
  probe.steps = o.steps;
  LandscapeReading reading;
  for (const auto& [name, set] : {std::pair<std::string, const Dataset*>{"train", &train}, {"test", &test}}) {
    const Dataset points = set->first(o.points);
    for (const double per_eps : o.radii) {
      const Landscape l = loss_landscape(victim, points.inputs, points.labels, per_eps * radius, probe);
      table.add({model, name, per_eps, per_eps * radius, l.max_gradient_norm, l.max_loss_increase});
      if (per_eps == 1.0) (name == "train" ? reading.train_within : reading.test_within) = l.max_loss_increase;
      if (per_eps > 1.0 && name == "train") reading.train_beyond = std::max(reading.train_beyond, l.max_loss_increase);
    }
  }
  return reading;
}

Claim flat_inside_sharp_outside(const std::string& model, const LandscapeReading& r, double max_flat, double min_ratio) {
  return {model + ": the loss is flat within the training radius of training points, sharp beyond it and at test points",
          claim_text("train loss increase within the radius <= %.2g; beyond it, and at test points within it, >= %.2g x "
                     "that",
                     max_flat, min_ratio),
          claim_text("train within %.4f, train beyond %.4f, test within %.4f", r.train_within, r.train_beyond,
                     r.test_within),
          r.train_within <= max_flat && r.train_beyond >= min_ratio * r.train_within &&
              r.test_within >= min_ratio * r.train_within};
}

// The real-image part: for each width, the accuracies over training and the landscape at the end;
// its tables, figures and claims go into `result`.
void run_images(const ImagesPart& o, const RunContext& ctx, StudyResult& result, Table& landscape) {
  const ImageTask task = load_image_task(o.image.data);
  const Dataset train = task.train(), test = task.test();
  const int64_t n = std::min({o.probe_points, train.size(), test.size()});
  const Dataset train_probe = train.first(n).to(ctx.device), test_probe = test.first(n).to(ctx.device);
  const double eps = o.image.adversarial.eps;
  result.explanation +=
      " **Images.** The paper's real-image experiment, on " + task.data.name + claim_text(
          " with MLPs for CPU time: %.0f training images, PGD adversarial training at linf eps %.3g for %.0f epochs. ",
          static_cast<double>(train.size()), eps, static_cast<double>(o.image.train.epochs)) +
      "Few images can be fitted robustly one by one, so robust training accuracy keeps rising after robust test "
      "accuracy has stalled; wider nets fit more of them, and the gap between the two does not close; the "
      "landscape is flat within eps of training points and sharper beyond it and at test points.";
  AttackSpec pgd;
  pgd.name = "pgd-linf";
  pgd.steps = 10;

  Table curves("images_accuracy_over_training",
               {text_key("width"), text_key("split"), text_key("kind"), integer_key("epoch"), value("accuracy")},
               "Fashion-MNIST MLPs, PGD adversarial training: accuracy on fixed training and test points, clean and "
               "under PGD-10 at the training eps.");
  Table finals("images_final", {text_key("width"), value("hidden"), value("robust_train"), value("robust_test"),
                                value("gap"), value("best_robust_test"), value("best_epoch")});
  finals.in_report = true;
  const int64_t widest = *std::max_element(o.width_multipliers.begin(), o.width_multipliers.end());
  const int64_t narrowest = *std::min_element(o.width_multipliers.begin(), o.width_multipliers.end());
  std::map<int64_t, Estimate> final_train, final_test;
  Claim overfitting, flatness;
  for (const int64_t multiplier : o.width_multipliers) {
    const std::string width = "x" + std::to_string(multiplier);
    ImageModelSpec model = o.image.model;
    for (auto& h : model.hidden) h *= multiplier;
    const ImageModelSpec spec = image_model_spec(model, task.data, task.outputs());
    std::vector<std::pair<int64_t, std::pair<double, double>>> robust_by_epoch;  // epoch → (train, test)
    const auto record = [&](const Forward& forward, int64_t epoch) {
      if (epoch % o.record_every_epochs != 0 && epoch != o.image.train.epochs) return;
      const Victim victim = make_victim(forward, train.box);
      const double rt = robust_accuracy(victim, train_probe, pgd.at(eps), ctx.seed, "images/" + width + "/train");
      const double rs = robust_accuracy(victim, test_probe, pgd.at(eps), ctx.seed, "images/" + width + "/test");
      curves.add({width, "train", "clean", epoch, accuracy(forward, train_probe.inputs, train_probe.labels)});
      curves.add({width, "train", "robust", epoch, rt});
      curves.add({width, "test", "clean", epoch, accuracy(forward, test_probe.inputs, test_probe.labels)});
      curves.add({width, "test", "robust", epoch, rs});
      robust_by_epoch.push_back({epoch, {rt, rs}});
    };
    // The same streams for every width: the same examples in the same order and the same attacks.
    const TrainedClassifier trained = train_image_classifier("mlp " + width, spec, train, task.validation(),
                                                             o.image.training_options(), ctx, "images", record);
    const auto best = std::max_element(robust_by_epoch.begin(), robust_by_epoch.end(),
                                       [](const auto& a, const auto& b) { return a.second.second < b.second.second; });
    const auto& last = robust_by_epoch.back();
    final_train[multiplier] = proportion(last.second.first, n);
    final_test[multiplier] = proportion(last.second.second, n);
    finals.add({width, static_cast<double>(spec.hidden.front()), last.second.first, last.second.second,
                last.second.first - last.second.second,
                best->second.second, static_cast<double>(best->first)});
    const torch::nn::AnyModule net(trained.model);
    const LandscapeReading reading = probe_landscape(landscape, "mlp " + width, make_victim(forward_of(net), train.box),
                                                     train_probe, test_probe, eps, Norm::Linf, o.landscape);
    if (multiplier != widest) continue;
    // Robust overfitting: from the epoch where robust test accuracy stalls (first comes within
    // stall_tolerance of its best) robust training accuracy still rises, and test does not.
    const auto stall = std::find_if(robust_by_epoch.begin(), robust_by_epoch.end(), [&](const auto& r) {
      return r.second.second >= best->second.second - o.verify.stall_tolerance;
    });
    const double train_gain = last.second.first - stall->second.first;
    const Estimate test_drop = independent_difference(proportion(best->second.second, n), final_test[multiplier]);
    overfitting = {"images, widest MLP: robust training accuracy keeps rising while robust test accuracy stalls",
                   claim_text("robust train gain after robust test stalls (within %.2g of its best) >= %.2g; final "
                              "robust test <= its best (+2 SE)",
                              o.verify.stall_tolerance, o.verify.min_late_train_gain),
                   claim_text("robust test stalls at epoch %.0f (%.3f, best %.3f), robust train then %.3f; final robust "
                              "train %.3f, robust test %.3f",
                              static_cast<double>(stall->first), stall->second.second, best->second.second,
                              stall->second.first, last.second.first, last.second.second),
                   train_gain >= o.verify.min_late_train_gain && at_least(test_drop, 0)};
    flatness = flat_inside_sharp_outside("images, widest MLP", reading, o.verify.max_flat_loss,
                                         o.verify.min_sharpness_ratio);
  }
  // Capacity: a wider net fits more training points robustly, and the gap does not close.
  const auto gap_of = [&](int64_t m) { return independent_difference(final_train[m], final_test[m]); };
  const Estimate gain = independent_difference(final_train[widest], final_train[narrowest]);
  const Estimate gap_wide = gap_of(widest), gap_narrow = gap_of(narrowest);
  const Estimate gap_change = independent_difference(gap_wide, gap_narrow);
  const Claim capacity{
      "images: robust training accuracy rises with width while the robust generalisation gap stays",
      claim_text("robust train accuracy x%.0f - x%.0f >= %.2g (-2 SE); widest gap >= %.2g (-2 SE) and not below the "
                 "narrowest's (-2 SE)",
                 static_cast<double>(widest), static_cast<double>(narrowest), o.verify.min_width_gain, o.verify.min_gap),
      claim_text("robust train gain %.3f (SE %.3f); gap x%.0f %.3f, x%.0f %.3f", gain.value, gain.se,
                 static_cast<double>(widest), gap_wide.value, static_cast<double>(narrowest), gap_narrow.value),
      at_least(gain, o.verify.min_width_gain) && at_least(gap_wide, o.verify.min_gap) && at_least(gap_change, 0)};
  result.tables.insert(result.tables.end(), {curves, finals});
  Figure robust_curves = Figure::lines("images_robust_over_training", "images_accuracy_over_training", "epoch",
                                       "accuracy", {"width", "split"},
                                       result.study + ": Fashion-MNIST, robust accuracy over training (PGD-10)");
  robust_curves.where = {{"kind", "robust"}};
  robust_curves.ymin = 0;
  robust_curves.ymax = 1.05;
  result.figures.push_back(robust_curves);
  result.claims.insert(result.claims.end(), {overfitting, flatness, capacity});
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
  const auto robust_at_delta = [&](const Dataset& set, const std::string& stream) {
    return robust_accuracy(victim, set, pgd.at(delta), ctx.seed, stream);
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
      accuracies.add({split, "robust", step, robust_at_delta(*set, "over-training/" + split)});
    }
  };
  fit("cnn", torch::nn::AnyModule(net), train_set.inputs, train_set.labels, options, ctx);

  // Final accuracies, each with its standard error.
  const Estimate clean_test = proportion(accuracy(victim.forward, test.inputs, test.labels), test.size());
  const Estimate robust_train = proportion(robust_at_delta(train_set, "final/train"), train_set.size());
  const Estimate robust_test = proportion(robust_at_delta(test, "final/test"), test.size());
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
  Table landscape = landscape_table();
  const LandscapeReading reading =
      probe_landscape(landscape, "patch-cnn", victim, train_set, test, delta, Norm::L2, o.landscape);
  result.tables = {stages, accuracies};
  Figure stage_figure = Figure::lines("training_stages", "training_stages", "step", "value", {"quantity"},
                                      result.study + ": signal U and memorisation V over training");
  Figure accuracy_figure = Figure::lines("accuracy_over_training", "accuracy_over_training", "step", "accuracy",
                                         {"split", "kind"}, result.study + ": clean and robust accuracy over training");
  accuracy_figure.ymin = 0;
  accuracy_figure.ymax = 1.05;
  Figure landscape_figure = Figure::lines("loss_landscape", "loss_landscape", "radius_per_eps", "max_loss_increase",
                                          {"model", "points"}, result.study + ": largest loss increase within radius r");
  landscape_figure.xlabel = "radius / training radius";
  landscape_figure.log_y = true;
  landscape_figure.references = {{"training radius", 1.0}};
  result.figures = {stage_figure, accuracy_figure, landscape_figure};

  // Claims.
  const Verify& v = o.verify;
  Claim cgro = claim_at_least("clean generalisation with robust overfitting",
                              "robust train - robust test accuracy", independent_difference(robust_train, robust_test),
                              v.min_robust_gap);
  cgro.expected += claim_text("; clean test >= %.2g and robust train >= %.2g (-2 SE)", v.min_clean_test, v.min_robust_train);
  cgro.measured += claim_text("; clean test %.3f, robust train %.3f, robust test %.3f", clean_test.value,
                              robust_train.value, robust_test.value);
  cgro.pass = cgro.pass && at_least(clean_test, v.min_clean_test) && at_least(robust_train, v.min_robust_train);
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
  const Claim landscape_claim = flat_inside_sharp_outside("patch-cnn", reading, v.max_flat_loss, v.min_sharpness_ratio);
  result.claims = {cgro, stages_claim, landscape_claim};
  if (o.images.enabled) run_images(o.images, ctx, result, landscape);
  result.tables.push_back(landscape);
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
