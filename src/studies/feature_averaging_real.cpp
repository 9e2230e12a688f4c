// Study 2, "Feature Averaging" on real images (Li, Pan, Lyu, Li 2024, their MNIST/CIFAR-10
// experiments): a net trained on merged classes against a 10-class net read out as binary. The
// claim and how it is checked are in the explanation built by `explanation` below.
#include "data/images/label_maps.h"
#include "experiment/attack_keys.h"
#include "experiment/claims.h"
#include "experiment/cosine_table.h"
#include "experiment/evaluate.h"
#include "experiment/fit.h"
#include "experiment/image_task.h"
#include "experiment/study.h"
#include "models/binary_readout.h"
#include "models/two_layer/decoupled_relu.h"
#include "models/two_layer/two_layer_relu.h"
#include "probes/accuracy.h"
#include "probes/feature_cosine.h"
#include "runtime/fixed_order.h"
#include "runtime/memory_budget.h"
#include "runtime/user_error.h"

namespace robustlab {
namespace {

std::string explanation(const ImageTask& task, const std::string& architecture) {
  return "A binary task made by merging the classes of " + task.data.name + " (" + task.labels.kind +
         ") is learned twice by the same architecture (" + architecture +
         "): directly on the merged labels (**binary**), and on the 10 class labels with the binary "
         "answer read out as log P(J+) - log P(J-) (**multiclass**). The feature-averaging paper "
         "explains why the first is less robust: trained on merged labels, gradient descent averages "
         "the features of the merged classes, and a perturbation along the averaged direction flips "
         "it; the 10-class net must keep the classes apart. Both are attacked with l2 and linf PGD on "
         "the binary labels (the l2 curves on the bottom axis, linf on the top). The heatmaps probe the "
         "shared features of the 10-class net: a two-layer head with a fixed +-1 block second layer "
         "trained on the merged labels (binary) and a one-unit-per-class head trained on the classes "
         "(multiclass), each unit's cosine with each class mean of the features.";
}

// The cosine analysis: two-layer heads trained by full-batch GD on the 10-class net's frozen
// features (head.*).
struct Heads {
  int64_t width = 5;
  double init_std = 1e-3;
  double lr = 1e-2;
  int64_t steps = 200;

  void fields(Fields& f) {
    f.field("width", width, "cosine analysis: binary head units per sign", {1});
    f.field("init_std", init_std, "cosine analysis: head weights at init", {0});
    f.field("lr", lr, "cosine analysis: head learning rate (full-batch GD)", {0});
    f.field("steps", steps, "cosine analysis: head GD steps", {1});
  }
};

struct Verify {
  double max_clean_gap = 0.03;
  double tolerance = 0.02;
  double min_middle_gain = 0;

  void fields(Fields& f) {
    f.field("max_clean_gap", max_clean_gap, "|clean accuracy binary - multiclass readout| at most", {0, 1});
    f.field("tolerance", tolerance, "binary may beat the readout by at most this at any eps", {0, 1});
    f.field("min_middle_gain", min_middle_gain,
            "mean readout - binary accuracy over the middle of each grid must exceed this by 2 SE", {-1, 1});
  }
};

struct FeatureAveragingReal {
  ImageTraining image;
  AttackKeys l2_attack, linf_attack;
  Heads head;
  Verify verify;

  // Fashion-MNIST halves (t-shirt..coat vs sandal..ankle-boot), 10000 training images, an MLP
  // (the paper's MNIST setting), 8 epochs of SGD; ℓ2 and ℓ∞ PGD-10 from the ball, α = ε/4.
  static FeatureAveragingReal paper() {
    FeatureAveragingReal p;
    p.image = ImageTraining::defaults();
    p.image.data.train_size = 10000;
    p.image.data.validation_size = 2000;
    p.image.data.test_size = 2000;
    p.image.data.labels = "halves";
    p.image.train.epochs = 8;
    p.image.model.architecture = "mlp";  // small-cnn and resnet18 are a --set away
    for (AttackKeys* a : {&p.l2_attack, &p.linf_attack}) {
      a->spec.steps = 10;
      a->spec.random_start = RandomStart::Ball;
    }
    p.l2_attack.names = {"pgd-l2"};
    p.l2_attack.eps = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0};
    p.linf_attack.names = {"pgd-linf"};
    p.linf_attack.eps = {0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1};
    return p;
  }

  void fields(Fields& f) {
    image.fields(f);
    f.group("attack.l2", l2_attack);
    f.group("attack.linf", linf_attack);
    f.group("head", head);
    f.group("verify", verify);
  }
  void check() const {
    if (!is_binary(image.data.label_map()))
      throw UserError("data.labels: this study needs a binary task made by merging classes (halves, parity or list)");
    check_adversarial_training(image.adversarial);
    require_memory("this config (data, " + image.model.architecture + " x 2)", image.memory_bytes(2));
  }
  Workload workload() const { return image.workload(); }
};

// The multiclass readout must be at least as robust at every ε (a deficit of at most `tolerance`,
// allowing 3 SE: the grid makes many comparisons) and more robust, beyond sampling noise, on
// average over the middle third of the grid, where the curves separate (at ε = 0 both are clean
// accuracy, at the largest ε both may be near 0). Both on the same test points, compared per example.
Claim robustness_claim(const Evaluation& binary, const Evaluation& multi, const std::vector<double>& grid,
                       const std::string& norm, double tolerance, double min_gain) {
  double worst_deficit = 0, worst_allowed = 0;
  bool deficit_ok = true;
  for (double eps : grid) {
    const Estimate d = paired_difference(binary.robust_at(norm, eps), multi.robust_at(norm, eps));
    if (d.value > worst_deficit) {
      worst_deficit = d.value;
      worst_allowed = tolerance + 3 * d.se;
    }
    deficit_ok = deficit_ok && d.value <= tolerance + 3 * d.se;
  }
  const size_t n = grid.size(), lo = 1 + (n - 1) / 3, hi = std::max(1 + 2 * (n - 1) / 3, lo + 1);
  at::Tensor gain = torch::zeros({multi.examples}, torch::kFloat64);
  for (size_t i = lo; i < hi; ++i) gain += multi.robust_at(norm, grid[i]) - binary.robust_at(norm, grid[i]);
  const Estimate middle = paired_difference(gain / static_cast<double>(hi - lo), torch::zeros_like(gain));
  Claim claim = claim_exceeds("multiclass readout is more robust than the binary net (" + norm + ")",
                              claim_text("mean gain over eps in [%g, %g]", grid[lo], grid[hi - 1]), middle, min_gain);
  claim.expected = claim_text("multiclass >= binary - %.2f at every eps (allowing 3 SE); ", tolerance) + claim.expected;
  claim.measured = claim_text("largest deficit %.3f (allowed %.3f); ", worst_deficit, std::max(worst_allowed, tolerance)) +
                   claim.measured;
  claim.pass = claim.pass && deficit_ok;
  return claim;
}

// Two-layer heads on the frozen, centred and scaled features of the 10-class net: their cosine
// tables (binary head, decoupled head against the class means of the features) and summary numbers.
std::vector<std::pair<std::string, double>> analyse_heads(ImageClassifier& net, const ImageTask& task,
                                                          const torch::Tensor& signs, const Heads& o,
                                                          const RunContext& ctx, StudyResult& result) {
  torch::Tensor features;
  {
    torch::NoGradGuard no_grad;
    net->eval();
    features = net->features(task.splits.train.inputs.to(ctx.device)).to(torch::kCPU);
  }
  // Centred, and scaled to unit mean-square entries: the scale of the theory's Gaussian clusters.
  features = features - features.mean(0);
  features = features / std::max(std::sqrt(fixed_order_mean(features.square())), 1e-12);
  const torch::Tensor classes = task.splits.train.fine_labels;
  const int64_t k = signs.size(0), p = features.size(1);
  torch::Tensor class_means = torch::zeros({k, p});
  for (int64_t j = 0; j < k; ++j) class_means[j] = features.index({classes == j}).mean(0);
  const torch::Tensor binary_labels = signs.index_select(0, classes);

  TrainOptions head_train;
  head_train.optimizer = "gd";
  head_train.lr = o.lr;
  head_train.steps = o.steps;
  const RunContext on_cpu{torch::kCPU, ctx.seed, ""};  // the heads are small: CPU, wherever the run is

  TwoLayerReluOptions binary_options;
  binary_options.input_dim = p;
  binary_options.width = o.width;
  binary_options.init_std = o.init_std;
  TwoLayerRelu binary = build<TwoLayerRelu>("head-binary", binary_options, on_cpu);
  fit("head-binary", torch::nn::AnyModule(binary), features, binary_labels, head_train, on_cpu);

  DecoupledReluOptions decoupled_options;
  decoupled_options.input_dim = p;
  decoupled_options.outputs = k;
  decoupled_options.init_std = o.init_std;
  DecoupledRelu decoupled = build<DecoupledRelu>("head-decoupled", decoupled_options, on_cpu);
  fit("head-decoupled", torch::nn::AnyModule(decoupled), features, classes, head_train, on_cpu);

  std::vector<std::string> feature_names;
  for (int64_t j = 0; j < k; ++j)
    feature_names.push_back(task.data.class_names[j] + (signs[j].item<int64_t>() > 0 ? "+" : "-"));
  std::vector<std::string> binary_units = numbered("w+", binary_options.width, 1);
  for (const auto& n : numbered("w-", binary_options.width, 1)) binary_units.push_back(n);
  const torch::Tensor cos_b = feature_cosines(binary->weight.detach(), class_means);
  const torch::Tensor cos_d = feature_cosines(decoupled->weight.detach(), class_means);
  result.tables.push_back(cosine_table("binary", cos_b, binary_units, feature_names));
  result.tables.push_back(cosine_table("multiclass", cos_d, task.data.class_names, feature_names));

  // Binary head: mean cos of each unit with the class means of its own side and of the other.
  const torch::Tensor unit_signs = binary->second_layer.sign().to(torch::kInt64);
  const torch::Tensor same_side = unit_signs.unsqueeze(1) == signs.unsqueeze(0);  // [units, k]
  // Classes a binary unit responds to: cos > 0.1 with their mean (on its own side).
  const torch::Tensor responds = (cos_b > 0.1) & same_side;
  const torch::Tensor off_diag = cos_d.masked_fill(torch::eye(k, torch::kBool), -1.0);  // cos >= -1
  return {
      {"head_binary_own_side_cos", cos_b.masked_select(same_side).mean().item<double>()},
      {"head_binary_other_side_cos", cos_b.masked_select(same_side.logical_not()).mean().item<double>()},
      {"head_binary_classes_per_unit", responds.sum(1).to(torch::kFloat64).mean().item<double>()},
      {"head_decoupled_own_class_cos", cos_d.diagonal().mean().item<double>()},
      {"head_decoupled_max_other_cos", off_diag.amax(1).mean().item<double>()},
  };
}

StudyResult run(const FeatureAveragingReal& o, const RunContext& ctx) {
  StudyResult result;
  result.study = "feature-averaging-real";
  result.seed = ctx.seed;
  result.norm = "l2";

  // Data: the task's binary labels, and the class labels the multiclass net learns.
  const ImageTask task = load_image_task(o.image.data);
  const int64_t k = task.classes();
  const torch::Tensor signs = class_signs(task.labels, k);
  const Dataset test = task.test().to(ctx.device);
  result.explanation = explanation(task, o.image.model.architecture);

  // The two networks: one on the merged labels, one on the classes, read out as binary. They share
  // their random streams (the same initial feature extractor, the same example order): what differs
  // between them is the labels, and the comparison is not drowned in the noise of two trainings.
  const TrainOptions options = o.image.training_options();
  TrainedClassifier binary = train_image_classifier("binary", image_model_spec(o.image.model, task.data, 1),
                                                    task.train(), task.validation(), options, ctx, "shared");
  TrainedClassifier multi = train_image_classifier("multiclass", image_model_spec(o.image.model, task.data, k),
                                                   task.splits.train, task.splits.validation, options, ctx, "shared");
  BinaryReadout readout(torch::nn::AnyModule(multi.model), signs > 0);
  readout->to(ctx.device);
  readout->eval();
  ModelTask class_task = task.model_task();
  class_task.labels = LabelMap{};  // "classes"
  result.saved_models = {{"binary.pt", model_file(binary.model, task.model_task(), ctx.config_toml)},
                         {"multiclass.pt", model_file(multi.model, class_task, ctx.config_toml)}};

  // ℓ2 and ℓ∞ PGD on the binary labels.
  std::vector<AttackGrid> attacks = o.l2_attack.grids();
  for (const auto& g : o.linf_attack.grids()) attacks.push_back(g);
  auto summarise = [](Evaluation& e, const TrainedClassifier& t) {
    if (auto r = critical_radius(e.curve, e.summary.name, "linf")) e.summary.metrics.push_back({"critical_radius_linf", *r});
    e.summary.metrics.push_back({"final_train_loss", t.log.epochs.back().train_loss});
    e.summary.metrics.push_back(
        {"best_validation_accuracy", t.log.epochs[std::max<int64_t>(t.log.best_epoch, 1) - 1].validation});
  };
  Evaluation binary_eval =
      evaluate("binary", make_victim(forward_of(torch::nn::AnyModule(binary.model)), test.box), test, attacks, "l2", ctx.seed);
  summarise(binary_eval, binary);
  Evaluation multi_eval =
      evaluate("multiclass", make_victim(forward_of(torch::nn::AnyModule(readout)), test.box), test, attacks, "l2", ctx.seed);
  summarise(multi_eval, multi);
  const Dataset test_classes = task.splits.test.to(ctx.device);
  multi_eval.summary.metrics.push_back(
      {"ten_class_accuracy",
       accuracy(forward_of(torch::nn::AnyModule(multi.model)), test_classes.inputs, test_classes.labels)});

  // The cosine analysis of the 10-class net's features.
  const auto head_metrics = analyse_heads(multi.model, task, signs, o.head, ctx, result);
  binary_eval.summary.metrics.insert(binary_eval.summary.metrics.end(), head_metrics.begin(), head_metrics.end());
  record(result, binary_eval);
  record(result, multi_eval);
  result.figures = {robust_accuracy_figure(result.study, "l2, linf"),
                    cosine_figure("binary", "cosine of hidden units with centres"),
                    cosine_figure("multiclass", "cosine of hidden units with centres")};

  // Claims.
  const Verify& v = o.verify;
  const Estimate clean_gap = paired_difference(binary_eval.robust_at("l2", 0), multi_eval.robust_at("l2", 0));
  result.claims = {
      learned_claim({&binary_eval, &multi_eval}),
      claim_at_most("comparable clean accuracy", "|binary - multiclass readout| clean accuracy",
                    {std::abs(clean_gap.value), clean_gap.se, clean_gap.n}, v.max_clean_gap),
      robustness_claim(binary_eval, multi_eval, o.l2_attack.grid(), "l2", v.tolerance, v.min_middle_gain),
      robustness_claim(binary_eval, multi_eval, o.linf_attack.grid(), "linf", v.tolerance, v.min_middle_gain),
  };
  return result;
}

}  // namespace

Study feature_averaging_real_study() {
  return make_study<FeatureAveragingReal>(
      "feature-averaging-real",
      "the same on real images: a binary net on merged classes breaks at a smaller eps than a 10-class "
      "net read out as binary (Fashion-MNIST by default; MNIST, CIFAR-10)",
      run);
}

}  // namespace robustlab
