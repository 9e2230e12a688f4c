// The attack suite (APGD-CE, APGD-T, Square, auto) against closed forms on linear models, the
// invariants every attack keeps, their relative strength on a trained net, and the
// gradient-masking checks on a model built to mask gradients.
#include <gtest/gtest.h>

#include "attacks/attack.h"
#include "attacks/norm_ball.h"
#include "data/images/image_datasets.h"
#include "data/images/splits.h"
#include "fashion_mnist_mlp.h"
#include "models/classification.h"
#include "models/image/image_classifier.h"
#include "probes/accuracy.h"
#include "probes/gradient_masking.h"
#include "probes/robust_accuracy.h"
#include "runtime/random.h"
#include "runtime/user_error.h"
#include "attack_grid.h"
#include "experiment/image_task.h"

using namespace robustlab;

namespace {

// Logits z = W x + b of a linear C-class model on flat inputs, no box. Against target t the
// smallest ℓ∞ margin over ‖δ‖∞ ≤ ε is (z_y − z_t) − ε‖w_y − w_t‖₁, so x is robust iff that is
// positive for every t ≠ y: robust accuracy has a closed form.
struct LinearMulticlass {
  torch::Tensor w, b, x, y;
  explicit LinearMulticlass(int64_t classes, int64_t d = 12, int64_t n = 200) {
    at::Generator gen = make_generator(21);
    w = torch::randn({classes, d}, gen, torch::kFloat64);
    b = 0.1 * torch::randn({classes}, gen, torch::kFloat64);
    x = torch::randn({n, d}, gen, torch::kFloat64);
    y = (x.matmul(w.t()) + b).argmax(1);  // all clean-correct
  }
  torch::Tensor operator()(const torch::Tensor& v) const { return v.matmul(w.t()) + b; }
  Victim victim() const {
    return make_victim([this](const torch::Tensor& v) { return (*this)(v); });
  }
  double robust_accuracy(double eps) const {
    const torch::Tensor z = (*this)(x);
    const torch::Tensor z_y = z.gather(1, y.unsqueeze(1));
    const torch::Tensor dual = (w.index_select(0, y).unsqueeze(1) - w.unsqueeze(0)).abs().sum(2);  // [n, C]
    torch::Tensor margin = (z_y - z) - eps * dual;
    margin.scatter_(1, y.unsqueeze(1), std::numeric_limits<double>::infinity());
    return (margin.amin(1) > 0).to(torch::kFloat64).mean().item<double>();
  }
};

double accuracy_under(const Victim& victim, const torch::Tensor& x, const torch::Tensor& y, AttackSpec spec) {
  at::Generator gen = make_generator(3);
  return accuracy(victim.forward, run_attack(victim, x, y, spec, gen), y);
}

AttackSpec spec_of(const std::string& name, double eps, int steps = 100) {
  AttackSpec s = attack_at(name, eps, eps / 4, steps, RandomStart::Ball);
  s.queries = 2000;
  return s;
}

}  // namespace

TEST(AttackSuiteOnLinearModels, EveryLinfAttackReachesTheClosedFormRobustAccuracy) {
  const LinearMulticlass m(4);
  const Victim victim = m.victim();
  const double eps = 0.15;
  const double exact = m.robust_accuracy(eps);
  ASSERT_GT(exact, 0.2);  // neither trivial nor hopeless
  ASSERT_LT(exact, 0.8);
  // No attack may find fewer robust points than exist, and the targeted and ensemble attacks,
  // which try every other class, must find all non-robust ones.
  for (const char* name : {"fgsm", "pgd-linf", "apgd-ce", "apgd-t", "square", "auto"}) {
    AttackSpec s = spec_of(name, eps);
    s.targets = 3;
    const double acc = accuracy_under(victim, m.x, m.y, s);
    EXPECT_GE(acc, exact - 1e-12) << name << " beat the optimum: a bug";
    if (std::string(name) == "apgd-t" || std::string(name) == "auto" || std::string(name) == "square")
      EXPECT_NEAR(acc, exact, 0.011) << name;
  }
}

TEST(AttackSuiteOnLinearModels, ApgdReachesTheOptimalBinaryMargin) {
  // f(x) = ⟨w, x⟩: the smallest ℓ∞ margin y f(x + δ) is y f(x) − ε‖w‖₁.
  at::Generator gen = make_generator(4);
  const torch::Tensor w = torch::randn({20}, gen, torch::kFloat64);
  const torch::Tensor x = torch::randn({300, 20}, gen, torch::kFloat64);
  const torch::Tensor y = torch::where(x.matmul(w) > 0, 1, -1).to(torch::kInt64);
  const Victim victim = make_victim([&](const torch::Tensor& v) { return v.matmul(w); });
  const double eps = 0.05;
  const double exact = ((y.to(torch::kFloat64) * x.matmul(w) - eps * w.abs().sum()) > 0).to(torch::kFloat64).mean().item<double>();
  for (const char* name : {"apgd-ce", "square", "auto"})
    EXPECT_NEAR(accuracy_under(victim, x, y, spec_of(name, eps)), exact, 1e-12) << name;
}

namespace {
// A small multiclass model on 6×6 images in the box [0, 1].
struct BoxedImages {
  ImageClassifier net{nullptr};
  torch::Tensor x, y;
  BoxedImages() {
    ImageModelSpec s;
    s.architecture = "mlp";
    s.input_shape = {1, 6, 6};
    s.outputs = 4;
    s.hidden = {16};
    s.channel_mean = {0.5};
    s.channel_std = {0.3};
    at::Generator gen = make_generator(8);
    net = ImageClassifier(s, gen);
    net->eval();
    x = torch::rand({120, 1, 6, 6}, gen);
    torch::NoGradGuard g;
    y = net->forward(x).argmax(1);
    y.slice(0, 0, 10).add_(1).remainder_(4);  // 10 of them wrong
  }
  Victim victim() {
    return make_victim([this](const torch::Tensor& v) { return net->forward(v); }, Box{0, 1});
  }
};
}  // namespace

TEST(AttackSuiteInvariants, BallBoxAndZeroEpsForEveryAttack) {
  BoxedImages m;
  const Victim victim = m.victim();
  for (const auto& attack : all_attacks()) {
    if (attack.kind == AttackKind::Analytic) continue;  // needs a class direction; tested elsewhere
    for (double eps : {0.0, 0.03, 0.3, 2.0}) {
      AttackSpec s = spec_of(attack.name, eps, 10);
      s.queries = 50;
      s.restarts = 2;
      at::Generator gen = make_generator(1);
      const torch::Tensor x_adv = run_attack(victim, m.x, m.y, s, gen);
      EXPECT_LE(per_example_norm(x_adv - m.x, attack.norm).max().item<double>(), eps + 1e-6) << attack.name << " " << eps;
      EXPECT_GE(x_adv.min().item<double>(), 0.0) << attack.name;
      EXPECT_LE(x_adv.max().item<double>(), 1.0) << attack.name;
      if (eps == 0) EXPECT_TRUE(torch::equal(x_adv, m.x)) << attack.name;
      // Points misclassified clean stay misclassified: no attack "repairs" an example.
      torch::NoGradGuard g;
      EXPECT_FALSE(is_correct(m.net->forward(x_adv.slice(0, 0, 10)), m.y.slice(0, 0, 10)).any().item<bool>())
          << attack.name;
    }
  }
}

TEST(AttackSuiteInvariants, SquareNeverAsksForAGradient) {
  BoxedImages m;
  Victim victim = m.victim();
  victim.forward = [&](const torch::Tensor& v) {
    if (torch::GradMode::is_enabled() || v.requires_grad()) throw std::runtime_error("gradient requested");
    return m.net->forward(v);
  };
  at::Generator gen = make_generator(2);
  AttackSpec s = spec_of("square", 0.1);
  s.queries = 100;
  EXPECT_NO_THROW(run_attack(victim, m.x, m.y, s, gen));
}

TEST(AttackSuiteInvariants, ImpossibleTargetedAttacksAreClearErrors) {
  BoxedImages m;
  at::Generator gen = make_generator(0);
  AttackSpec s = spec_of("apgd-t", 0.1, 5);
  s.targets = 4;  // 4 classes: at most 3 targets
  try {
    run_attack(m.victim(), m.x, m.y, s, gen);
    FAIL() << "4 targets of 4 classes accepted";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("must be below the class count 4"), std::string::npos) << e.what();
  }
  // A binary score has no DLR loss.
  const torch::Tensor w = torch::randn({36});
  const Victim binary = make_victim([&](const torch::Tensor& v) { return v.flatten(1).matmul(w); }, Box{0, 1});
  const torch::Tensor y = torch::ones({120}, torch::kInt64);
  try {
    run_attack(binary, m.x, y, spec_of("apgd-t", 0.1, 5), gen);
    FAIL() << "DLR on a binary score accepted";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("3 or more classes"), std::string::npos) << e.what();
  }
  // ... but auto runs on it, skipping APGD-T.
  AttackSpec a = spec_of("auto", 0.1, 5);
  a.queries = 20;
  EXPECT_NO_THROW(run_attack(binary, m.x, y, a, gen));
  AttackSpec bad = spec_of("square", 0.1);
  bad.queries = 0;
  EXPECT_THROW(run_attack(m.victim(), m.x, m.y, bad, gen), UserError);
}

namespace {
// An MLP trained for two epochs on 4000 Fashion-MNIST images, and 300 test images.
struct TrainedNet {
  ImageClassifier net{nullptr};
  Dataset test;
  TrainedNet() {
    const ImageData data = load_image_dataset("fashion-mnist", "");
    const Splits splits = split_image_data(data, 4000, 200, 300);
    const ImageModelSpec spec = fashion_mnist_mlp(data, 64);
    TrainOptions o;
    o.optimizer = "adam";
    o.lr = 2e-3;
    o.epochs = 2;
    o.batch_size = 64;
    net = train_image_classifier("net", spec, splits.train, splits.validation, o, RunContext{}).model;
    test = splits.test;
  }
  Victim victim() { return make_victim([this](const torch::Tensor& v) { return net->forward(v); }, Box{0, 1}); }
};

TrainedNet& trained_net() {
  static TrainedNet net;
  return net;
}

double accuracy_of(const std::vector<RobustAccuracyPoint>& curve, const std::string& attack, double eps) {
  for (const auto& p : curve)
    if (p.attack == attack && p.eps == eps) return p.accuracy;
  return -1;
}
}  // namespace

TEST(AttackSuiteStrength, ApgdAndAutoAreAtLeastAsStrongAsPgdAndWorstFallsWithEps) {
  TrainedNet& m = trained_net();
  const std::vector<double> grid = {0.0, 0.01, 0.03, 0.06};
  std::vector<AttackGrid> plans = {attack_over("pgd-linf", 0.25, 20, RandomStart::Ball, grid),
                                   attack_over("apgd-ce", 0, 20, RandomStart::None, grid),
                                   attack_over("auto", 0, 20, RandomStart::None, grid)};
  plans[2].attack.targets = 3;
  plans[2].attack.queries = 200;
  const auto curve = robust_accuracy_curve("net", m.victim(), m.test.inputs, m.test.labels, plans, 0);
  double previous = 1.0;
  for (double eps : grid) {
    const double pgd = accuracy_of(curve, "pgd-linf", eps);
    EXPECT_LE(accuracy_of(curve, "apgd-ce", eps), pgd + 0.01) << eps;
    EXPECT_LE(accuracy_of(curve, "auto", eps), pgd + 1e-12) << eps;
    const double worst = accuracy_of(curve, "worst", eps);
    EXPECT_LE(worst, previous) << eps;
    previous = worst;
  }
  EXPECT_LT(accuracy_of(curve, "auto", 0.06), accuracy_of(curve, "auto", 0.0) - 0.3);  // the attacks do bite
  // On a net trained normally there is nothing to warn about.
  EXPECT_TRUE(gradient_masking_warnings("net", m.victim(), m.test.inputs, m.test.labels, curve, 0).empty());
}

TEST(GradientMasking, EveryCheckFiresOnAQuantisingModel) {
  // Rounding the input to 4 grey levels makes the input gradient exactly 0 everywhere: the
  // model is no more robust than before, but gradient attacks see a flat loss.
  TrainedNet& m = trained_net();
  ImageClassifier net = m.net;
  const Victim masked = make_victim([net](const torch::Tensor& v) mutable {
    const torch::Tensor levels = torch::round(v * 3) / 3;  // d round / dv = 0
    return net->forward(levels);
  }, Box{0, 1});
  std::vector<AttackGrid> plans = {attack_over("fgsm", 0, 1, RandomStart::None, {0.0, 0.1}),
                                   attack_over("pgd-linf", 0.25, 10, RandomStart::None, {0.0, 0.1}),
                                   attack_over("square", 0, 1, RandomStart::None, {0.0, 0.1})};
  plans[2].attack.queries = 300;
  const auto curve = robust_accuracy_curve("masked", masked, m.test.inputs, m.test.labels, plans, 0);
  const auto warnings = gradient_masking_warnings("masked", masked, m.test.inputs, m.test.labels, curve, 0);
  auto fired = [&](const std::string& words) {
    for (const auto& w : warnings)
      if (w.text.find(words) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(fired("exactly 0")) << "zero gradients";
  EXPECT_TRUE(fired("black-box")) << "square beats the white-box attacks";
  EXPECT_TRUE(fired("large enough to reach any input")) << "unbounded eps";
}

TEST(GradientMasking, OneStepBeatingAnIterativeAttackIsReported) {
  // PGD whose steps are far too small to leave the start (α·steps = ε/100) against FGSM on a
  // linear model, where FGSM is exactly optimal: the curve must call the PGD numbers out.
  const LinearMulticlass m(2, 12, 300);
  const Victim victim = m.victim();
  std::vector<AttackGrid> plans = {attack_over("fgsm", 0, 1, RandomStart::None, {0.3}),
                                   attack_over("pgd-linf", 0.001, 10, RandomStart::None, {0.3})};
  const auto curve = robust_accuracy_curve("linear", victim, m.x, m.y, plans, 0);
  ASSERT_LT(accuracy_of(curve, "fgsm", 0.3), accuracy_of(curve, "pgd-linf", 0.3) - 0.05);
  const auto warnings = curve_masking_warnings(curve);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].text.find("one-step fgsm"), std::string::npos) << warnings[0].text;
  // And with a sound PGD there is nothing to report.
  plans[1].attack.alpha_per_eps = 0.25;
  EXPECT_TRUE(curve_masking_warnings(robust_accuracy_curve("linear", victim, m.x, m.y, plans, 0)).empty());
}
