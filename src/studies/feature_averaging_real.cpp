// Study 2, "Feature Averaging" on real images (Li, Pan, Lyu, Li 2024, their MNIST/CIFAR-10
// experiments).
//
// The binary task merges classes (J+ = the first half, say, J− the rest). Two networks of the
// same architecture learn it:
//   binary      trained directly on the ±1 labels, one output f(x);
//   multiclass  trained on the 10 class labels, read out as g(x) = log P(J+|x) − log P(J−|x)
//               (models/binary_readout.h).
// The paper's explanation: trained on the merged labels, gradient descent lets the network
// average the features of the classes it merges, and one averaged direction is cheap to attack;
// the 10-class network has to keep the classes apart, and its binary readout is more robust at
// the same clean accuracy. Both are attacked with ℓ2 and ℓ∞ PGD on the binary labels.
//
// The cosine analysis repeats the paper's CIFAR probe on a shared extractor: the multiclass net's
// penultimate features φ(x) (centred and scaled) are frozen; a two-layer head with a fixed ±1
// block second layer (models/two_layer_relu.h) is trained on the binary labels, and a decoupled
// head (one unit per class) on the class labels. Each head unit is compared with the class means
// of φ: the binary head's units should spread over the classes of their side (averaging), the
// decoupled head's units should each pick their own class.
#include "studies/feature_averaging_real.h"

#include "data/label_maps.h"
#include "models/binary_readout.h"
#include "models/decoupled_relu.h"
#include "models/two_layer_relu.h"
#include "probes/accuracy.h"
#include "probes/feature_cosine.h"
#include "probes/gradient_masking.h"
#include "runtime/random.h"
#include "runtime/user_error.h"
#include "studies/image_training.h"

namespace robustlab {
namespace {

std::vector<AttackPlan> pgd_plan(const Config& c, const std::string& name, const std::string& key) {
  return {{name, c.number(key), static_cast<int>(c.integer("attack.steps")),
           parse_random_start(c.text("attack.random_start")), static_cast<int>(c.integer("attack.restarts")), {}}};
}

std::vector<double> grid_with_zero(const Config& c, const std::string& key) {
  std::vector<double> grid{0.0};  // ε = 0: the curves start at clean accuracy
  for (double e : c.numbers(key))
    if (e > 0) grid.push_back(e);
  std::sort(grid.begin(), grid.end());
  return grid;
}

// Worst-case accuracy of a model at each ε of one norm, in grid order.
std::vector<double> worst_curve(const std::vector<RobustAccuracyPoint>& rows, const std::string& model,
                                const std::string& norm) {
  std::vector<double> acc;
  for (const auto& r : rows)
    if (r.model == model && r.norm == norm && r.attack == "worst") acc.push_back(r.accuracy);
  return acc;
}

// The multiclass readout must be at least as robust at every ε (up to `tolerance`, for sampling
// noise) and more robust by `min_gain` on average over the middle third of the grid, where the
// curves separate (at ε = 0 both are clean accuracy, at the largest ε both may be near 0).
Claim robustness_claim(const std::vector<RobustAccuracyPoint>& rows, const std::vector<double>& grid,
                       const std::string& norm, double tolerance, double min_gain) {
  const std::vector<double> binary = worst_curve(rows, "binary", norm), multi = worst_curve(rows, "multiclass", norm);
  double worst_deficit = 0, middle_gain = 0;
  const size_t n = grid.size(), lo = 1 + (n - 1) / 3, hi = 1 + 2 * (n - 1) / 3;
  for (size_t i = 0; i < n; ++i) {
    worst_deficit = std::max(worst_deficit, binary[i] - multi[i]);
    if (i >= lo && i < std::max(hi, lo + 1)) middle_gain += multi[i] - binary[i];
  }
  middle_gain /= static_cast<double>(std::max(hi, lo + 1) - lo);
  Claim claim;
  claim.name = "multiclass readout is more robust than the binary net (" + norm + ")";
  claim.expected = claim_text("multiclass >= binary - %.2f at every eps; mean gain >= %.2f over eps in [%g, ",
                              tolerance, min_gain, grid[lo]) +
                   claim_text("%g]", grid[std::max(hi, lo + 1) - 1]);
  claim.measured = claim_text("largest deficit %.3f; mean gain over the middle %.3f", worst_deficit, middle_gain);
  claim.pass = worst_deficit <= tolerance && middle_gain >= min_gain;
  return claim;
}

struct HeadAnalysis {
  CosineMatrix binary, decoupled;
  std::vector<std::pair<std::string, double>> metrics;
};

// Two-layer heads on the frozen, centred and scaled features of the shared extractor.
HeadAnalysis analyse_heads(ImageClassifier& extractor_net, const Dataset& train_classes,
                           const torch::Tensor& signs, const std::vector<std::string>& class_names,
                           const Config& c, uint64_t seed) {
  torch::Tensor features;
  {
    torch::NoGradGuard no_grad;
    extractor_net->eval();
    features = extractor_net->features(train_classes.inputs).to(torch::kCPU);
  }
  // Centred, and scaled to unit mean-square entries: the scale of the theory's Gaussian clusters.
  features = features - features.mean(0);
  features = features / features.pow(2).mean().sqrt().clamp_min(1e-12);
  const torch::Tensor classes = train_classes.fine_labels.to(torch::kCPU);
  const int64_t k = signs.size(0), p = features.size(1);
  torch::Tensor class_means = torch::zeros({k, p});
  for (int64_t j = 0; j < k; ++j) class_means[j] = features.index({classes == j}).mean(0);
  const torch::Tensor binary_labels = signs.index_select(0, classes);

  TrainOptions head_train;
  head_train.optimizer = "gd";
  head_train.lr = c.number("head.lr");
  head_train.steps = c.integer("head.steps");

  TwoLayerReluOptions binary_options;
  binary_options.input_dim = p;
  binary_options.width = c.integer("head.width");
  binary_options.init_std = c.number("head.init_std");
  at::Generator binary_gen = make_generator(seed, "init/head-binary");
  TwoLayerRelu binary(binary_options, binary_gen);
  at::Generator binary_order = make_generator(seed, "train/head-binary");
  train(*binary, [&](const torch::Tensor& x) { return binary->forward(x); }, features, binary_labels, head_train,
        binary_order, "train binary head");

  DecoupledReluOptions decoupled_options;
  decoupled_options.input_dim = p;
  decoupled_options.outputs = k;
  decoupled_options.init_std = c.number("head.init_std");
  at::Generator decoupled_gen = make_generator(seed, "init/head-decoupled");
  DecoupledRelu decoupled(decoupled_options, decoupled_gen);
  at::Generator decoupled_order = make_generator(seed, "train/head-decoupled");
  train(*decoupled, [&](const torch::Tensor& x) { return decoupled->forward(x); }, features, classes, head_train,
        decoupled_order, "train decoupled head");

  std::vector<std::string> feature_names;
  for (int64_t j = 0; j < k; ++j)
    feature_names.push_back(class_names[j] + (signs[j].item<int64_t>() > 0 ? "+" : "-"));
  std::vector<std::string> binary_units = numbered("w+", binary_options.width, 1);
  for (const auto& n : numbered("w-", binary_options.width, 1)) binary_units.push_back(n);
  HeadAnalysis out;
  out.binary = {"binary", feature_cosines(binary->weight.detach(), class_means), binary_units, feature_names};
  out.decoupled = {"multiclass", feature_cosines(decoupled->weight.detach(), class_means), class_names, feature_names};

  // Binary head: mean cos of each unit with the class means of its own side and of the other.
  const torch::Tensor unit_signs = binary->second_layer.sign().to(torch::kInt64);
  const torch::Tensor same_side = unit_signs.unsqueeze(1) == signs.unsqueeze(0);  // [units, k]
  const torch::Tensor cos_b = out.binary.values;
  // Classes a binary unit responds to: cos > 0.1 with their mean (on its own side).
  const torch::Tensor responds = (cos_b > 0.1) & same_side;
  const torch::Tensor cos_d = out.decoupled.values;
  const torch::Tensor off_diag = cos_d.masked_fill(torch::eye(k, torch::kBool), -1.0);  // cos >= -1
  out.metrics = {
      {"head_binary_own_side_cos", cos_b.masked_select(same_side).mean().item<double>()},
      {"head_binary_other_side_cos", cos_b.masked_select(same_side.logical_not()).mean().item<double>()},
      {"head_binary_classes_per_unit", responds.sum(1).to(torch::kFloat64).mean().item<double>()},
      {"head_decoupled_own_class_cos", cos_d.diagonal().mean().item<double>()},
      {"head_decoupled_max_other_cos", off_diag.amax(1).mean().item<double>()},
  };
  return out;
}

}  // namespace

Schema feature_averaging_real_schema() {
  Schema s = base_schema();
  ImageKeyDefaults d;
  d.train_size = 10000;
  d.validation_size = 2000;
  d.test_size = 1000;
  d.labels = "halves";
  d.epochs = 8;
  d.architecture = "mlp";  // the paper's MNIST setting; small-cnn and resnet18 are a --set away
  add_image_training_keys(s, d);
  s.numbers("attack.l2_eps", {0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0}, "l2 PGD radii (pixels in [0,1])", 0)
      .numbers("attack.linf_eps", {0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1}, "linf PGD radii", 0)
      .integer("attack.steps", 10, "PGD steps", 1)
      .number("attack.l2_alpha_per_eps", 0.25, "l2 PGD step size as a fraction of eps", 1e-9)
      .number("attack.linf_alpha_per_eps", 0.25, "linf PGD step size as a fraction of eps", 1e-9)
      .text("attack.random_start", "ball", "PGD start: none, sphere or ball", {"none", "sphere", "ball"})
      .integer("attack.restarts", 1, "PGD restarts (per-example worst case)", 1)
      .integer("head.width", 5, "cosine analysis: binary head units per sign", 1)
      .number("head.init_std", 1e-3, "cosine analysis: head weights at init", 0)
      .number("head.lr", 1e-2, "cosine analysis: head learning rate (full-batch GD)", 0)
      .integer("head.steps", 200, "cosine analysis: head GD steps", 1)
      .number("verify.max_clean_gap", 0.03, "|clean accuracy binary - multiclass readout| at most", 0, 1)
      .number("verify.tolerance", 0.02, "binary may beat the readout by at most this at any eps", 0, 1)
      .number("verify.min_middle_gain", 0.03, "mean readout - binary accuracy over the middle of each grid", -1, 1);
  return s;
}

StudyResult run_feature_averaging_real(const Config& c, const RunContext& ctx) {
  const uint64_t seed = static_cast<uint64_t>(c.integer("seed"));
  StudyResult result;
  result.study = "feature-averaging-real";
  result.seed = seed;
  result.norm = "l2";

  // --- data: the task's binary labels, and the class labels the multiclass net learns ---------
  const ImageTask task = load_image_task(c);
  if (!is_binary(task.labels))
    throw UserError("data.labels: this study needs a binary task made by merging classes (halves, parity or list)");
  const int64_t k = task.classes();
  const LabelMap class_map;  // "classes"
  const torch::Tensor signs = class_signs(task.labels, k);
  const Dataset test = apply_label_map(task.splits.test, task.labels, k).to(ctx.device);

  // --- the two networks ---------------------------------------------------------------------
  const TrainOptions options = training_options(c);
  const ImageModelSpec binary_spec = image_model_spec(c, task.data, 1);
  TrainedClassifier binary = train_image_classifier(
      "binary", binary_spec, apply_label_map(task.splits.train, task.labels, k),
      apply_label_map(task.splits.validation, task.labels, k), options, seed, ctx.device);
  const ImageModelSpec multi_spec = image_model_spec(c, task.data, k);
  TrainedClassifier multi = train_image_classifier(
      "multiclass", multi_spec, task.splits.train, task.splits.validation, options, seed, ctx.device);

  ImageClassifier binary_net = binary.model, multi_net = multi.model;
  const torch::Tensor positive = (signs > 0).to(ctx.device);
  const Forward binary_forward = [binary_net](const torch::Tensor& x) mutable { return binary_net->forward(x); };
  const Forward readout_forward = [multi_net, positive](const torch::Tensor& x) mutable {
    return binary_readout(multi_net->forward(x), positive);
  };
  const std::string config_toml = c.to_toml();
  ImageTask multi_task = task;
  multi_task.labels = class_map;
  result.saved_models = {{"binary.pt", make_state_file(*binary_net, model_file_texts(binary_spec, task, config_toml))},
                         {"multiclass.pt", make_state_file(*multi_net, model_file_texts(multi_spec, multi_task, config_toml))}};

  // --- attacks: ℓ2 and ℓ∞ PGD on the binary labels -----------------------------------------
  const std::vector<double> l2_grid = grid_with_zero(c, "attack.l2_eps"), linf_grid = grid_with_zero(c, "attack.linf_eps");
  for (const auto& [name, forward] : {std::pair<std::string, Forward>{"binary", binary_forward}, {"multiclass", readout_forward}}) {
    const Victim victim = make_victim(forward, test.box);
    for (const auto& [plan, grid] : {std::pair{pgd_plan(c, "pgd-l2", "attack.l2_alpha_per_eps"), l2_grid},
                                     std::pair{pgd_plan(c, "pgd-linf", "attack.linf_alpha_per_eps"), linf_grid}}) {
      const auto rows = robust_accuracy_curve(name, victim, test.inputs, test.labels, plan, grid, seed);
      result.robust_accuracy.insert(result.robust_accuracy.end(), rows.begin(), rows.end());
    }
    for (auto& w : gradient_masking_warnings(name, victim, test.inputs, test.labels, result.robust_accuracy, seed))
      result.warnings.push_back(std::move(w));
  }

  // --- probes -------------------------------------------------------------------------------
  const double binary_acc = accuracy(binary_forward, test.inputs, test.labels);
  const double readout_acc = accuracy(readout_forward, test.inputs, test.labels);
  const Dataset test_classes = task.splits.test.to(ctx.device);
  const double class_acc = accuracy([multi_net](const torch::Tensor& x) mutable { return multi_net->forward(x); },
                                    test_classes.inputs, test_classes.labels);
  auto summary = [&](const std::string& name, double acc, const TrainedClassifier& t) {
    ModelSummary m{name, acc, critical_radius(result.robust_accuracy, name, "l2"), {}};
    if (auto r = critical_radius(result.robust_accuracy, name, "linf")) m.metrics.push_back({"critical_radius_linf", *r});
    m.metrics.push_back({"final_train_loss", t.log.epochs.back().train_loss});
    m.metrics.push_back({"best_validation_accuracy", t.log.epochs[std::max<int64_t>(t.log.best_epoch, 1) - 1].validation});
    return m;
  };
  result.models = {summary("binary", binary_acc, binary), summary("multiclass", readout_acc, multi)};
  result.models[1].metrics.push_back({"ten_class_accuracy", class_acc});

  HeadAnalysis heads = analyse_heads(multi_net, task.splits.train.to(ctx.device), signs, task.data.class_names, c, seed);
  result.cosines = {heads.binary, heads.decoupled};
  for (const auto& m : heads.metrics) result.models[0].metrics.push_back(m);

  // --- claims -------------------------------------------------------------------------------
  const double gap = std::abs(binary_acc - readout_acc);
  result.claims = {
      {"comparable clean accuracy", claim_text("|binary - multiclass readout| <= %.3f", c.number("verify.max_clean_gap")),
       claim_text("binary %.4f, multiclass readout %.4f (gap %.4f)", binary_acc, readout_acc, gap),
       gap <= c.number("verify.max_clean_gap")},
      robustness_claim(result.robust_accuracy, l2_grid, "l2", c.number("verify.tolerance"), c.number("verify.min_middle_gain")),
      robustness_claim(result.robust_accuracy, linf_grid, "linf", c.number("verify.tolerance"), c.number("verify.min_middle_gain")),
  };

  result.explanation =
      "A binary task made by merging the classes of " + task.data.name + " (" + task.labels.kind +
      ") is learned twice by the same architecture (" + binary_spec.architecture +
      "): directly on the merged labels (**binary**), and on the 10 class labels with the binary "
      "answer read out as log P(J+) - log P(J-) (**multiclass**). The feature-averaging paper "
      "explains why the first is less robust: trained on merged labels, gradient descent averages "
      "the features of the merged classes, and a perturbation along the averaged direction flips "
      "it; the 10-class net must keep the classes apart. Both are attacked with l2 and linf PGD on "
      "the binary labels (the l2 curves on the bottom axis, linf on the top). The heatmaps probe the "
      "shared features of the 10-class net: a two-layer head with a fixed +-1 block second layer "
      "trained on the merged labels (binary) and a one-unit-per-class head trained on the classes "
      "(multiclass), each unit's cosine with each class mean of the features.";
  return result;
}

}  // namespace robustlab
