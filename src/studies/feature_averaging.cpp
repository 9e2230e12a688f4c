// Study 1, "Feature Averaging" (Li, Pan, Lyu, Li 2024): gradient descent makes each hidden unit
// of a binary two-layer ReLU net the average of its class's cluster centres. The claim, the
// setting and how it is checked are in kExplanation below.
#include <cmath>

#include "data/synthetic/orthogonal_clusters.h"
#include "experiment/attack_keys.h"
#include "experiment/claims.h"
#include "experiment/cosine_table.h"
#include "experiment/evaluate.h"
#include "experiment/fit.h"
#include "experiment/study.h"
#include "models/binary_readout.h"
#include "models/two_layer/decoupled_relu.h"
#include "models/two_layer/two_layer_relu.h"
#include "probes/accuracy.h"
#include "probes/feature_cosine.h"
#include "runtime/memory_budget.h"

namespace robustlab {
namespace {

const char* kExplanation =
    "Gradient descent on a binary task whose classes are unions of orthogonal clusters makes "
    "every hidden unit of a two-layer ReLU net the **average** of its class's cluster centres "
    "(cosine 1/sqrt(k/2) with each of them: a block pattern in the heatmap). The net then "
    "depends on the input only through the averaged direction, and an l2 perturbation of "
    "order sqrt(d/k) along it flips the prediction. Trained on the finer cluster labels, a "
    "decoupled net keeps one centre per unit (a diagonal heatmap), and its binary readout "
    "log P(J+) - log P(J-) withstands perturbations up to order sqrt(d/2). The paper's baseline, "
    "a wider binary net (**adversarial**) trained with l2 PGD at the training eps, stays correct up "
    "to about that eps.";

// The paper's baseline: a wider binary net trained with ℓ2 PGD (adversarial.*).
struct AdversarialNet {
  int64_t width = 100;
  double lr = 1e-2;
  int64_t train_steps = 25;
  AdversarialTraining training;

  void fields(Fields& f) {
    f.field("width", width, "adversarially trained binary net: m, hidden units per sign (0: not trained)", {0});
    f.field("lr", lr, "its learning rate (from the tiny init, 1e-3 stays below chance for 500 steps)", {0});
    f.field("train_steps", train_steps, "its gradient steps (each costs adversarial.steps + 1 passes)", {1});
    training.fields(f);
  }
};

// A stronger PGD on every stride-th ε of the grid: if more steps change the picture, the curve's
// numbers were optimistic (attack.check_*).
struct PgdCheck {
  int steps = 40;
  double alpha_per_eps = 0.1;
  int64_t eps_stride = 4;

  void fields(Fields& f) {
    f.field("check_steps", steps, "steps of the stronger PGD check (0: no check)", {0});
    f.field("check_alpha_per_eps", alpha_per_eps, "its step size as a fraction of eps", {1e-9});
    f.field("check_eps_stride", eps_stride, "run the check on every n-th eps of the grid", {0});
  }
};

struct Verify {
  double cosine_tolerance = 0.15;
  double min_diagonal = 0.9;
  double min_clean_accuracy = 0.99;
  double max_radius_ratio = 0.6;
  double min_adversarial_radius = 0.75;
  double min_adversarial_gain = 1.5;

  void fields(Fields& f) {
    f.field("cosine_tolerance", cosine_tolerance, "binary net: allowed |cos - 1/sqrt(k/2)| and |cos| off-class", {0});
    f.field("min_diagonal", min_diagonal, "decoupled net: min cos of a unit with its own centre", {-1, 1});
    f.field("min_clean_accuracy", min_clean_accuracy, "both nets", {0, 1});
    f.field("max_radius_ratio", max_radius_ratio, "critical radius binary / decoupled at most", {0});
    f.field("min_adversarial_radius", min_adversarial_radius,
            "adversarial net: critical radius at least this times its training eps", {0});
    f.field("min_adversarial_gain", min_adversarial_gain,
            "adversarial net: critical radius at least this times the binary net's", {0});
  }
};

struct FeatureAveraging {
  OrthogonalClustersOptions data;
  TwoLayerReluOptions binary;
  AdversarialNet adversarial;
  DecoupledReluOptions decoupled;
  TrainOptions train;
  AttackKeys attack;
  PgdCheck check_attack;
  Verify verify;

  // d = 3072, k = 10, 100 points per cluster; m = 5 units per sign with weights N(0, 1e-10);
  // full-batch GD, lr 1e-3, 100 steps; ℓ2 PGD-7 (α = ε/4, start on the sphere) at ε = 2, 4, ..., 80.
  static FeatureAveraging paper() {
    FeatureAveraging p;
    p.adversarial.training.method = "pgd";
    p.adversarial.training.norm = Norm::L2;
    p.adversarial.training.eps = 40;
    p.adversarial.training.alpha = 10;
    p.adversarial.training.steps = 7;
    p.train.optimizer = "gd";
    p.train.lr = 1e-3;
    p.train.steps = 100;
    p.train.batch_size = 100;
    p.attack.names = {"pgd-l2", "feature-average"};
    p.attack.eps = *parse_range("2:80:2", "attack.eps");
    p.attack.spec.steps = 7;
    p.attack.spec.alpha_per_eps = 0.25;
    p.attack.spec.random_start = RandomStart::Sphere;
    return p;
  }

  void fields(Fields& f) {
    f.group("data", data);
    f.group("binary", binary);
    f.group("adversarial", adversarial);
    f.group("decoupled", decoupled);
    f.group("train", train);
    f.group("attack", attack);
    f.group("attack", check_attack);
    f.group("verify", verify);
  }
  void check() const {
    check_adversarial_training(adversarial.training);
    // The largest tensors, as floats: the data, each net's weights with gradients and momentum,
    // PGD's batch of up to 2000 points with its gradients and candidates, the loss log.
    const double d = static_cast<double>(data.d), k = static_cast<double>(data.k);
    const double points = k * static_cast<double>(data.train_per_cluster + data.test_per_cluster);
    const double units = 2.0 * static_cast<double>(binary.width + adversarial.width) +
                         k * static_cast<double>(decoupled.units_per_output);
    const double steps = static_cast<double>(std::max(train.steps, adversarial.train_steps));
    require_memory("this config (data.d, data.k, the widths, the steps)",
                   4 * (3 * points * d + 3 * units * d + 10 * std::min(points, 2000.0) * d) + 8 * steps);
  }
  Workload workload() const { return Workload::Elementwise; }  // 10 hidden units: element-wise ops dominate

  // The attacks of the curve, and the stronger PGD check on every stride-th ε of the grid.
  std::vector<AttackGrid> attacks() const {
    std::vector<AttackGrid> grids = attack.grids();
    const std::vector<double> grid = attack.grid();
    if (check_attack.steps > 0 && check_attack.eps_stride > 0) {
      AttackGrid check{attack.spec, {}};
      check.attack.name = "pgd-l2";
      check.attack.steps = check_attack.steps;
      check.attack.alpha_per_eps = check_attack.alpha_per_eps;
      for (size_t i = static_cast<size_t>(check_attack.eps_stride); i < grid.size(); i += check_attack.eps_stride)
        check.eps.push_back(grid[i]);
      if (!check.eps.empty()) grids.push_back(check);
    }
    return grids;
  }

  // With the ±1/m readout every gradient is m times smaller; scaling lr by m keeps the dynamics.
  TrainOptions training_of(const TwoLayerReluOptions& net, double lr, int64_t steps) const {
    TrainOptions o = train;
    o.lr = net.mean_readout ? lr * static_cast<double>(net.width) : lr;
    o.steps = steps;
    return o;
  }
};

// Binary-net units: each should sit at 1/√|J_s| with its own class's centres, near 0 with the rest.
Claim averaging_claim(const torch::Tensor& cos, const torch::Tensor& unit_signs, const torch::Tensor& cluster_labels,
                      double tolerance) {
  double worst_own_error = 0, worst_other = 0, own_sum = 0;
  int64_t own_count = 0;
  auto target_of = [&](int64_t sign) { return 1.0 / std::sqrt((cluster_labels == sign).sum().item<double>()); };
  for (int64_t r = 0; r < cos.size(0); ++r) {
    const int64_t sign = unit_signs[r].item<int64_t>();
    const torch::Tensor own = cluster_labels == sign;
    const double target = target_of(sign);
    for (int64_t j = 0; j < cos.size(1); ++j) {
      const double c = cos[r][j].item<double>();
      if (own[j].item<bool>()) {
        worst_own_error = std::max(worst_own_error, std::abs(c - target));
        own_sum += c;
        ++own_count;
      } else {
        worst_other = std::max(worst_other, std::abs(c));
      }
    }
  }
  Claim claim;
  claim.name = "binary net averages its class's centres";
  claim.expected = claim_text("every unit: cos with own-class centres = 1/sqrt(|J+|) = %.3f (+ units), "
                              "1/sqrt(|J-|) = %.3f (- units), +- %.2f; |cos| with the other class's <= it",
                              target_of(1), target_of(-1), tolerance);
  claim.measured = claim_text("own-class cos mean %.3f (worst deviation %.3f), other-class max |cos| %.3f",
                              own_sum / std::max<int64_t>(own_count, 1), worst_own_error, worst_other);
  claim.pass = worst_own_error <= tolerance && worst_other <= tolerance;
  return claim;
}

// Decoupled units: unit r of output j should align with μ_j alone.
Claim separation_claim(const torch::Tensor& cos, int64_t units_per_output, double min_diagonal) {
  double worst_diag = 1, worst_off = 0;
  for (int64_t r = 0; r < cos.size(0); ++r) {
    const int64_t j = r / units_per_output;
    worst_diag = std::min(worst_diag, cos[r][j].item<double>());
    for (int64_t l = 0; l < cos.size(1); ++l)
      if (l != j) worst_off = std::max(worst_off, std::abs(cos[r][l].item<double>()));
  }
  Claim claim;
  claim.name = "decoupled net keeps the centres apart";
  claim.expected = claim_text("every unit: cos with its own centre >= %.2f", min_diagonal);
  claim.measured = claim_text("min diagonal cos %.3f, max |off-diagonal cos| %.3f", worst_diag, worst_off);
  claim.pass = worst_diag >= min_diagonal;
  return claim;
}

Claim accuracy_claim(const Evaluation& e, double min_acc) {
  return claim_at_least(e.summary.name + " net is accurate on clean test data", "clean accuracy",
                        proportion(e.summary.clean_accuracy, e.examples), min_acc);
}

Claim radius_claim(std::optional<double> binary, std::optional<double> decoupled, double max_eps, double max_ratio,
                   double scale_binary, double scale_decoupled) {
  Claim claim;
  claim.name = "binary net breaks at a much smaller radius than the decoupled readout";
  claim.expected = claim_text("critical radius binary / decoupled <= %.2f (theory: sqrt(d/k) = %.1f vs "
                              "sqrt(d/2) = %.1f)",
                              max_ratio, scale_binary, scale_decoupled);
  auto show = [&](std::optional<double> r) { return r ? claim_text("%.0f", *r) : claim_text("> %.0f", max_eps); };
  // A readout never broken on the grid counts as breaking just past its end: a lower bound.
  const double dec = decoupled ? *decoupled : max_eps;
  claim.measured = "binary " + show(binary) + ", decoupled " + show(decoupled);
  claim.pass = binary.has_value() && *binary / dec <= max_ratio;
  if (binary) claim.measured += claim_text(", ratio %.2f", *binary / dec);
  return claim;
}

// Adversarial training (PGD at ε_train) should keep the binary net correct up to about ε_train,
// far beyond the standard binary net's √(d/k).
Claim adversarial_claim(std::optional<double> adversarial, std::optional<double> binary, double train_eps,
                        double max_eps, double min_fraction, double min_gain) {
  const double adv = adversarial ? *adversarial : max_eps;  // never broken: at least the grid's end
  Claim claim;
  claim.name = "adversarial training keeps the binary net robust up to about its training eps";
  claim.expected = claim_text("critical radius >= %.2f x training eps %.0f, and >= %.1f x the binary net's",
                              min_fraction, train_eps, min_gain);
  claim.measured = claim_text("adversarial %.0f", adv) + (adversarial ? "" : " (never broken on the grid)") +
                   (binary ? claim_text(", binary %.0f", *binary) : std::string(", binary never broken"));
  claim.pass = binary.has_value() && adv >= min_fraction * train_eps && adv >= min_gain * *binary;
  return claim;
}

StudyResult run(const FeatureAveraging& o, const RunContext& ctx) {
  StudyResult result;
  result.study = "feature-averaging";
  result.seed = ctx.seed;
  result.norm = "l2";
  result.explanation = kExplanation;

  // Data: k orthogonal centres, x = μ_j + N(0, I), label ±1 by cluster.
  at::Generator data_gen = make_generator(ctx.seed, "data");
  const OrthogonalClusters clusters = make_orthogonal_clusters(o.data, data_gen);
  const Dataset train_set = clusters.train.to(ctx.device), test_set = clusters.test.to(ctx.device);
  const int64_t k = o.data.k, d = o.data.d;

  // The binary net, trained on the ±1 labels.
  TwoLayerReluOptions binary_options = o.binary;
  binary_options.input_dim = d;
  TwoLayerRelu binary = build<TwoLayerRelu>("binary", binary_options, ctx);
  const TrainLog binary_log = fit("binary", torch::nn::AnyModule(binary), train_set.inputs, train_set.labels,
                                  o.training_of(binary_options, o.train.lr, o.train.steps), ctx);

  // The paper's baseline: a wider binary net trained adversarially (ℓ2 PGD by default).
  TwoLayerReluOptions adversarial_options = binary_options;
  adversarial_options.width = o.adversarial.width;
  TwoLayerRelu adversarial{nullptr};
  TrainLog adversarial_log;
  if (adversarial_options.width > 0) {
    adversarial = build<TwoLayerRelu>("adversarial", adversarial_options, ctx);
    TrainOptions adversarial_train =
        o.training_of(adversarial_options, o.adversarial.lr, o.adversarial.train_steps);
    adversarial_train.adversarial = o.adversarial.training;
    adversarial_log = fit("adversarial", torch::nn::AnyModule(adversarial), train_set.inputs, train_set.labels,
                          adversarial_train, ctx);
  }

  // The decoupled net, trained on the cluster ids and read out as binary.
  DecoupledReluOptions decoupled_options = o.decoupled;
  decoupled_options.input_dim = d;
  decoupled_options.outputs = k;
  DecoupledRelu decoupled = build<DecoupledRelu>("decoupled", decoupled_options, ctx);
  const TrainLog decoupled_log =
      fit("decoupled", torch::nn::AnyModule(decoupled), train_set.inputs, train_set.fine_labels, o.train, ctx);
  BinaryReadout readout(torch::nn::AnyModule(decoupled), clusters.cluster_labels > 0);
  readout->to(ctx.device);
  readout->eval();

  // The same attacks on every binary classifier; the analytic one moves along the averaged
  // direction u ∝ Σ_j y_j μ_j (own-class centres minus the other class's).
  const torch::Tensor signed_sum = (clusters.centres * clusters.cluster_labels.to(torch::kFloat32).unsqueeze(1)).sum(0);
  const torch::Tensor direction = (signed_sum / signed_sum.norm()).to(ctx.device);
  auto victim_of = [&](torch::nn::AnyModule model) {
    Victim v = make_victim(forward_of(std::move(model)));
    v.class_direction = direction;
    return v;
  };
  const std::vector<AttackGrid> attacks = o.attacks();
  Evaluation binary_eval = evaluate("binary", victim_of(torch::nn::AnyModule(binary)), test_set, attacks, "l2", ctx.seed);
  binary_eval.summary.metrics = {{"final_train_loss", binary_log.loss.back()},
                                 {"hidden_units", static_cast<double>(2 * binary_options.width)}};
  record(result, binary_eval);
  Evaluation readout_eval = evaluate("decoupled", victim_of(torch::nn::AnyModule(readout)), test_set, attacks, "l2", ctx.seed);
  const double cluster_acc =
      accuracy(forward_of(torch::nn::AnyModule(decoupled)), test_set.inputs, test_set.fine_labels);
  readout_eval.summary.metrics = {{"final_train_loss", decoupled_log.loss.back()},
                                  {"cluster_accuracy", cluster_acc},
                                  {"hidden_units", static_cast<double>(k * decoupled_options.units_per_output)}};
  record(result, readout_eval);
  std::optional<Evaluation> adversarial_eval;
  if (adversarial) {
    adversarial_eval = evaluate("adversarial", victim_of(torch::nn::AnyModule(adversarial)), test_set, attacks, "l2", ctx.seed);
    adversarial_eval->summary.metrics = {{"final_train_loss", adversarial_log.loss.back()},
                                         {"hidden_units", static_cast<double>(2 * adversarial_options.width)},
                                         {"training_eps", o.adversarial.training.eps}};
    record(result, *adversarial_eval);
  }

  // What the units learned: cosine of every hidden unit with every centre.
  std::vector<std::string> centre_names;
  for (int64_t j = 0; j < k; ++j)
    centre_names.push_back("mu" + std::to_string(j) + (clusters.cluster_labels[j].item<int64_t>() > 0 ? "+" : "-"));
  std::vector<std::string> binary_units = numbered("w+", binary_options.width, 1);
  for (const auto& n : numbered("w-", binary_options.width, 1)) binary_units.push_back(n);
  const torch::Tensor binary_cos = feature_cosines(binary->weight, clusters.centres);
  const torch::Tensor decoupled_cos = feature_cosines(decoupled->weight, clusters.centres);
  result.tables.push_back(cosine_table("binary", binary_cos, binary_units, centre_names));
  result.tables.push_back(cosine_table("decoupled", decoupled_cos, numbered("unit", decoupled->weight.size(0)), centre_names));

  // Figures: the robust-accuracy curves with the theory's scales, and the two heatmaps.
  const double scale_binary = std::sqrt(static_cast<double>(d) / k);
  const double scale_decoupled = std::sqrt(static_cast<double>(d) / 2);
  result.scales = {{"sqrt(d/k)", scale_binary}, {"sqrt(d/2)", scale_decoupled}};
  Figure curves = robust_accuracy_figure(result.study, "l2");
  curves.references = {{"sqrt(d/k)", scale_binary}, {"sqrt(d/2)", scale_decoupled}};
  result.figures = {curves, cosine_figure("binary", "cosine of hidden units with centres"),
                    cosine_figure("decoupled", "cosine of hidden units with centres")};

  // Claims.
  const double max_eps = attacks.front().eps.back();
  const torch::Tensor unit_signs = binary->second_layer.sign().to(torch::kCPU, torch::kInt64);
  const Verify& v = o.verify;
  result.claims = {
      averaging_claim(binary_cos, unit_signs, clusters.cluster_labels, v.cosine_tolerance),
      separation_claim(decoupled_cos, decoupled_options.units_per_output, v.min_diagonal),
      accuracy_claim(binary_eval, v.min_clean_accuracy),
      accuracy_claim(readout_eval, v.min_clean_accuracy),
      radius_claim(binary_eval.summary.critical_radius, readout_eval.summary.critical_radius, max_eps,
                   v.max_radius_ratio, scale_binary, scale_decoupled),
  };
  if (adversarial_eval)
    result.claims.push_back(adversarial_claim(adversarial_eval->summary.critical_radius,
                                              binary_eval.summary.critical_radius, o.adversarial.training.eps,
                                              max_eps, v.min_adversarial_radius, v.min_adversarial_gain));
  return result;
}

}  // namespace

Study feature_averaging_study() {
  return make_study<FeatureAveraging>(
      "feature-averaging",
      "GD averages cluster centres in a binary net (non-robust at eps~sqrt(d/k)); a decoupled net "
      "separates them (Li, Pan, Lyu, Li 2024)",
      run);
}

}  // namespace robustlab
