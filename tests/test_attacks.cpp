// Attacks against closed forms (a linear model's optimal ℓ2/ℓ∞ perturbations are known) and
// against the invariants every attack must keep.
#include <gtest/gtest.h>

#include "attack_grid.h"

#include "attacks/attack.h"
#include "attacks/norm_ball.h"
#include "models/classification.h"
#include "models/two_layer/two_layer_relu.h"
#include "probes/accuracy.h"
#include "probes/robust_accuracy.h"
#include "runtime/random.h"
#include "runtime/user_error.h"

using namespace robustlab;

namespace {

// f(x) = ⟨w, x⟩ + b. Over ‖δ‖ ≤ ε the smallest margin y·f(x + δ) is y·f(x) − ε‖w‖_*, reached at
// δ = −ε·y·w/‖w‖₂ for ℓ2 (dual norm ℓ2) and δ = −ε·y·sign(w) for ℓ∞ (dual norm ℓ1).
struct LinearModel {
  torch::Tensor w, b;
  torch::Tensor operator()(const torch::Tensor& x) const { return x.matmul(w) + b; }
};

struct Fixture {
  LinearModel model;
  torch::Tensor x, y;
  Fixture() {
    at::Generator gen = make_generator(11);
    model = {torch::randn({30}, gen, torch::kFloat64), torch::tensor(0.1, torch::kFloat64)};
    x = torch::randn({64, 30}, gen, torch::kFloat64);
    y = torch::randint(0, 2, {64}, gen, torch::kInt64) * 2 - 1;
  }
  torch::Tensor margin(const torch::Tensor& xs) const { return y.to(torch::kFloat64) * model(xs); }
};

AttackSpec spec(const std::string& name, double eps, int steps = 1) {
  return attack_at(name, eps, eps / 5, steps, RandomStart::Sphere);
}

}  // namespace

TEST(AttacksOnLinearModel, OneStepAttacksAreExactlyOptimal) {
  Fixture f;
  const Victim victim = make_victim([&](const torch::Tensor& x) { return f.model(x); });
  at::Generator gen = make_generator(0);
  const double eps = 0.7;
  const torch::Tensor clean = f.margin(f.x);
  const torch::Tensor l2 = f.margin(run_attack(victim, f.x, f.y, spec("fgm", eps), gen));
  const torch::Tensor linf = f.margin(run_attack(victim, f.x, f.y, spec("fgsm", eps), gen));
  EXPECT_TRUE(torch::allclose(l2, clean - eps * f.model.w.norm(), 1e-9, 1e-9));
  EXPECT_TRUE(torch::allclose(linf, clean - eps * f.model.w.abs().sum(), 1e-9, 1e-9));
}

// For f = ⟨w, x⟩ + b the loss gradient is −y·σ(−y f)·w, so the plain gradient step is
// δ = −y·α·w/‖w‖₂ before projection; clipped to the ℓ∞ ball it is −y·clamp(α w/‖w‖₂, −ε, ε):
// a step of α → ∞ is FGSM's corner, a short one keeps w's direction.
TEST(AttacksOnLinearModel, GradientAscentIsTheClippedGradientStep) {
  Fixture f;
  const Victim victim = make_victim([&](const torch::Tensor& x) { return f.model(x); });
  at::Generator gen = make_generator(0);
  const double eps = 0.2;
  const torch::Tensor y = f.y.to(torch::kFloat64).unsqueeze(1);
  for (const double alpha : {0.1, 1.0, 1e6}) {
    const torch::Tensor x_adv = run_attack(victim, f.x, f.y, attack_at("gradient-ascent", eps, alpha, 1, RandomStart::None), gen);
    const torch::Tensor expected = f.x - y * (alpha * f.model.w / f.model.w.norm()).clamp(-eps, eps);
    EXPECT_TRUE(torch::allclose(x_adv, expected, 1e-9, 1e-9)) << alpha;
  }
  const torch::Tensor corner = run_attack(victim, f.x, f.y, attack_at("gradient-ascent", eps, 1e6, 1, RandomStart::None), gen);
  EXPECT_TRUE(torch::allclose(corner, run_attack(victim, f.x, f.y, spec("fgsm", eps), gen), 1e-9, 1e-9));
}

TEST(AttacksOnLinearModel, PgdReachesTheOptimalMargin) {
  Fixture f;
  const Victim victim = make_victim([&](const torch::Tensor& x) { return f.model(x); });
  at::Generator gen = make_generator(0);
  const double eps = 0.7;
  const torch::Tensor clean = f.margin(f.x);
  // Best iterate keeps the first misclassifying iterate, so compare the margins of the points
  // never misclassified, and require the others to be truly misclassified.
  for (const auto& [name, dual] : {std::pair<std::string, double>{"pgd-l2", f.model.w.norm().item<double>()},
                                   {"pgd-linf", f.model.w.abs().sum().item<double>()}}) {
    const torch::Tensor m = f.margin(run_attack(victim, f.x, f.y, spec(name, eps, 30), gen));
    const torch::Tensor optimal = clean - eps * dual;
    const torch::Tensor robust = optimal > 0;
    EXPECT_TRUE(torch::allclose(m.masked_select(robust), optimal.masked_select(robust), 1e-3, 1e-3)) << name;
    EXPECT_TRUE((m.masked_select(robust.logical_not()) <= 0).all().item<bool>()) << name;
    EXPECT_TRUE((m >= optimal - 1e-9).all().item<bool>()) << name << " beat the optimum: a bug";
  }
}

TEST(AttacksOnLinearModel, FeatureAverageMovesAgainstTheClassDirection) {
  Fixture f;
  Victim victim = make_victim([&](const torch::Tensor& x) { return f.model(x); });
  victim.class_direction = f.model.w / f.model.w.norm();
  at::Generator gen = make_generator(0);
  const torch::Tensor x_adv = run_attack(victim, f.x, f.y, spec("feature-average", 0.5), gen);
  const torch::Tensor expected = f.x - 0.5 * f.y.to(torch::kFloat64).unsqueeze(1) * victim.class_direction;
  EXPECT_TRUE(torch::allclose(x_adv, expected));
  victim.class_direction = torch::Tensor();
  EXPECT_THROW(run_attack(victim, f.x, f.y, spec("feature-average", 0.5), gen), UserError);
}

namespace {
// A trained-ish nonlinear model on inputs in the box [0, 1].
struct BoxedNet {
  TwoLayerRelu net{nullptr};
  torch::Tensor x, y;
  BoxedNet() {
    at::Generator gen = make_generator(5);
    TwoLayerReluOptions o;
    o.input_dim = 40;
    o.width = 8;
    o.init_std = 0.3;
    net = TwoLayerRelu(o, gen);
    net->eval();
    x = torch::rand({200, 40}, gen);
    torch::NoGradGuard g;
    y = torch::where(net->forward(x) > 0, 1, -1).to(torch::kInt64);  // all clean-correct
    y.slice(0, 0, 20).neg_();                                       // but 20 wrong
  }
  Victim victim() { return make_victim([this](const torch::Tensor& v) { return net->forward(v); }, Box{0, 1}); }
};
}  // namespace

TEST(AttackInvariants, EveryAttackStaysInItsBallAndTheBox) {
  BoxedNet m;
  Victim victim = m.victim();
  victim.class_direction = torch::randn({40}) / std::sqrt(40.0);
  victim.class_direction /= victim.class_direction.norm();
  for (const auto& attack : all_attacks()) {
    if (attack.name == "apgd-t") continue;  // DLR needs 3+ classes: test_attack_suite.cpp
    for (double eps : {0.05, 0.3, 2.0}) {
      at::Generator gen = make_generator(1);
      AttackSpec s = spec(attack.name, eps, 10);
      s.restarts = 2;
      const torch::Tensor x_adv = run_attack(victim, m.x, m.y, s, gen);
      const torch::Tensor norms = per_example_norm(x_adv - m.x, attack.norm);
      EXPECT_LE(norms.max().item<double>(), eps + 1e-6) << attack.name << " eps " << eps;
      EXPECT_GE(x_adv.min().item<double>(), 0.0) << attack.name;
      EXPECT_LE(x_adv.max().item<double>(), 1.0) << attack.name;
    }
  }
}

TEST(AttackInvariants, ZeroEpsIsCleanAndRobustNeverExceedsClean) {
  BoxedNet m;
  const Victim victim = m.victim();
  const Forward forward = [&](const torch::Tensor& v) { return m.net->forward(v); };
  const double clean = accuracy(forward, m.x, m.y);
  EXPECT_NEAR(clean, 0.9, 1e-9);
  const std::vector<double> grid = {0.0, 0.1, 0.5, 1.0, 3.0};
  const std::vector<AttackGrid> plans = {attack_over("pgd-l2", 0.25, 7, RandomStart::Sphere, grid),
                                         attack_over("fgm", 0, 1, RandomStart::None, grid)};
  const auto curve = robust_accuracy_curve("net", victim, m.x, m.y, plans, 0);
  for (const auto& p : curve) {
    if (p.eps == 0) EXPECT_DOUBLE_EQ(p.accuracy, clean) << p.attack;
    if (p.attack == "worst") EXPECT_LE(p.accuracy, clean) << p.eps;
  }
  // Large enough ε breaks everything.
  EXPECT_EQ(critical_radius(curve, "net", "l2").has_value(), true);
}

TEST(AttackInvariants, PgdIsAtLeastAsStrongAsFgm) {
  BoxedNet m;
  const Victim victim = m.victim();
  const std::vector<double> grid = {0.02, 0.05, 0.1, 0.3};
  const std::vector<AttackGrid> plans = {attack_over("pgd-l2", 0.25, 10, RandomStart::Sphere, grid),
                                         attack_over("fgm", 0, 1, RandomStart::None, grid),
                                         attack_over("pgd-linf", 0.25, 10, RandomStart::Ball, grid),
                                         attack_over("fgsm", 0, 1, RandomStart::None, grid)};
  const auto curve = robust_accuracy_curve("net", victim, m.x, m.y, plans, 0);
  auto acc = [&](const std::string& attack, double eps) {
    for (const auto& p : curve)
      if (p.attack == attack && p.eps == eps) return p.accuracy;
    return -1.0;
  };
  for (double eps : {0.02, 0.05, 0.1, 0.3}) {
    EXPECT_LE(acc("pgd-l2", eps), acc("fgm", eps) + 1e-9) << eps;
    EXPECT_LE(acc("pgd-linf", eps), acc("fgsm", eps) + 1e-9) << eps;
  }
  EXPECT_LT(acc("pgd-linf", 0.05), acc("pgd-l2", 0.05));  // ℓ∞ ball of radius ε holds ℓ2 radius ε√d
}

TEST(AttackInvariants, BadSpecsAreClearErrors) {
  BoxedNet m;
  at::Generator gen = make_generator(0);
  try {
    run_attack(m.victim(), m.x, m.y, spec("pgd-l2", -1.0, 5), gen);
    FAIL() << "negative eps accepted";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("eps must be >= 0"), std::string::npos);
  }
  EXPECT_THROW(run_attack(m.victim(), m.x, m.y, spec("pgd-l3", 1.0), gen), UserError);
  AttackSpec zero_steps = spec("pgd-linf", 1.0, 0);
  EXPECT_THROW(run_attack(m.victim(), m.x, m.y, zero_steps, gen), UserError);
}

TEST(NormBall, RandomStartsAndProjections) {
  at::Generator gen = make_generator(3);
  const torch::Tensor like = torch::zeros({500, 20});
  const torch::Tensor sphere = random_perturbation(like, 2.0, Norm::L2, RandomStart::Sphere, gen);
  EXPECT_TRUE(torch::allclose(per_example_norm(sphere, Norm::L2), torch::full({500}, 2.0), 1e-5, 1e-5));
  const torch::Tensor ball = per_example_norm(random_perturbation(like, 2.0, Norm::L2, RandomStart::Ball, gen), Norm::L2);
  EXPECT_LE(ball.max().item<double>(), 2.0 + 1e-6);
  // Uniform in a 20-dimensional ball: P(r < 2·0.9) = 0.9^20 ≈ 0.12.
  EXPECT_NEAR((ball < 1.8).to(torch::kFloat64).mean().item<double>(), std::pow(0.9, 20), 0.05);
  const torch::Tensor cube = random_perturbation(like, 0.3, Norm::Linf, RandomStart::Ball, gen);
  EXPECT_LE(cube.abs().max().item<double>(), 0.3);
  const torch::Tensor big = torch::randn({50, 20}, gen) * 10;
  const torch::Tensor projected = project_to_ball_(big.clone(), 1.5, Norm::L2);
  EXPECT_LE(per_example_norm(projected, Norm::L2).max().item<double>(), 1.5 + 1e-5);
  // Projection along the ray: direction unchanged.
  EXPECT_TRUE(torch::allclose(projected / projected.norm(2, {1}, true), big / big.norm(2, {1}, true), 1e-5, 1e-5));
  const torch::Tensor inside = torch::randn({50, 20}, gen) * 0.01;
  EXPECT_TRUE(torch::equal(project_to_ball_(inside.clone(), 1.5, Norm::L2), inside));
}
