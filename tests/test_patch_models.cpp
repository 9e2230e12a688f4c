// The patch-structured theory's parts (Li & Li): its two data generators, the smoothed ReLU and
// ReLU^q, the two-layer patch CNN's gradients, the feature coefficients, and the loss-landscape
// probe on a model whose landscape is known in closed form.
#include <gtest/gtest.h>

#include "attacks/attack.h"
#include "data/synthetic/feature_patches.h"
#include "data/synthetic/signal_noise_patches.h"
#include "models/classification.h"
#include "models/two_layer/patch_cnn.h"
#include "probes/feature_projection.h"
#include "probes/loss_landscape.h"
#include "runtime/random.h"

using namespace robustlab;

TEST(FeaturePatches, FeaturesAreOrthonormalAndSitWhereTheTheoryPutsThem) {
  FeaturePatchesOptions o;
  o.train_size = 50;
  o.test_size = 10;
  o.robust_support = 2;
  at::Generator gen = make_generator(4);
  const FeaturePatches data = make_feature_patches(o, gen);
  const at::Tensor basis = torch::cat({data.robust_features, data.nonrobust_features}).to(torch::kFloat64);
  EXPECT_TRUE(torch::allclose(basis.matmul(basis.t()), torch::eye(2 * o.k, torch::kFloat64), 1e-6, 1e-6));
  // u_y on s coordinates of ±1/√s; ‖v_y‖₁ of a dense unit vector.
  EXPECT_EQ((data.robust_features != 0).sum().item<int64_t>(), o.k * o.robust_support);
  EXPECT_GT(data.nonrobust_features.abs().sum(1).min().item<double>(), 0.5 * std::sqrt(double(o.d)));

  const at::Tensor x = data.train.inputs.to(torch::kFloat64);  // [n, P, d]
  const at::Tensor on_u = x.matmul(basis.slice(0, 0, o.k).t());          // [n, P, k]
  const at::Tensor on_v = x.matmul(basis.slice(0, o.k, 2 * o.k).t());
  for (int64_t i = 0; i < x.size(0); ++i) {
    const int64_t y = data.train.labels[i].item<int64_t>();
    const at::Tensor u_y = on_u[i].select(1, y), v_y = on_v[i].select(1, y);
    // Exactly one patch holds α_u u_y; every other holds α_v v_y; no other class's feature anywhere.
    EXPECT_EQ((u_y.sub(o.robust_strength).abs() < 1e-4).sum().item<int64_t>(), 1) << i;
    EXPECT_EQ((u_y.abs() < 1e-4).sum().item<int64_t>(), o.patches - 1) << i;
    const int64_t robust_patch = u_y.argmax().item<int64_t>();
    EXPECT_NEAR(v_y[robust_patch].item<double>(), 0, 1e-4);
    EXPECT_NEAR((v_y.sum() - v_y[robust_patch]).item<double>(), o.nonrobust_strength * (o.patches - 1), 1e-3);
    EXPECT_LT(on_u[i].abs().sum().item<double>() - u_y.abs().sum().item<double>(), 1e-3);
  }
  // The noise is there (orthogonal to the features, σ per coordinate in the other d − 2k).
  const at::Tensor residual = x - on_u.matmul(basis.slice(0, 0, o.k)) - on_v.matmul(basis.slice(0, o.k, 2 * o.k));
  EXPECT_NEAR(residual.std().item<double>(), o.noise_std * std::sqrt(double(o.d - 2 * o.k) / o.d), 0.01);
}

TEST(SignalNoisePatches, OnePatchHoldsTheSignalAndTheNoiseIsOrthogonalToIt) {
  SignalNoisePatchesOptions o;
  o.train_size = 40;
  o.test_size = 5;
  at::Generator gen = make_generator(5);
  const SignalNoisePatches data = make_signal_noise_patches(o, gen);
  EXPECT_NEAR(data.signal.norm().item<double>(), 1, 1e-6);
  const at::Tensor along = data.train.inputs.matmul(data.signal);  // [N, P]
  for (int64_t i = 0; i < o.train_size; ++i) {
    const int64_t p = data.train_signal_patch[i].item<int64_t>();
    const double y = static_cast<double>(data.train.labels[i].item<int64_t>());
    EXPECT_TRUE(y == 1 || y == -1);
    EXPECT_NEAR(along[i][p].item<double>(), o.signal_strength * y, 1e-5);
    EXPECT_LT((along[i].abs().sum() - along[i][p].abs()).item<double>(), 1e-4);  // noise ⟂ w*
  }
}

TEST(PatchActivations, SmoothedReluIsPolynomialThenLinearWithMatchingSlope) {
  const double q = 3, rho = 0.5;
  const at::Tensor z = torch::tensor({-1.0, 0.0, 0.25, 0.5, 2.0}, torch::kFloat64);
  const at::Tensor s = smoothed_relu(z, q, rho);
  EXPECT_DOUBLE_EQ(s[0].item<double>(), 0);
  EXPECT_DOUBLE_EQ(s[1].item<double>(), 0);
  EXPECT_NEAR(s[2].item<double>(), std::pow(0.25, 3) / (3 * std::pow(rho, 2)), 1e-15);
  EXPECT_NEAR(s[3].item<double>(), rho / q, 1e-15);  // both pieces meet at ρ
  EXPECT_NEAR(s[4].item<double>(), 2.0 - (1 - 1 / q) * rho, 1e-15);
  EXPECT_NEAR(relu_power(z, q)[2].item<double>(), std::pow(0.25, 3), 1e-15);
  EXPECT_DOUBLE_EQ(relu_power(z, q)[0].item<double>(), 0);

  // Autograd against central differences on both pieces and near the joint.
  const at::Tensor points = torch::tensor({-0.3, 0.1, 0.3, 0.49, 0.51, 1.5}, torch::kFloat64);
  for (const bool smoothed : {true, false}) {
    const auto f = [&](const at::Tensor& t) { return smoothed ? smoothed_relu(t, q, rho) : relu_power(t, q); };
    const at::Tensor var = points.clone().requires_grad_(true);
    const at::Tensor grad = torch::autograd::grad({f(var).sum()}, {var})[0];
    const double h = 1e-6;
    const at::Tensor numeric = (f(points + h) - f(points - h)) / (2 * h);
    EXPECT_TRUE(torch::allclose(grad, numeric, 1e-6, 1e-8)) << (smoothed ? "smoothed" : "power") << grad << numeric;
  }
}

TEST(PatchCnn, GradientsMatchFiniteDifferencesForBothActivations) {
  for (const std::string activation : {"smoothed-relu", "relu-power"}) {
    SCOPED_TRACE(activation);
    at::Generator gen = make_generator(6);
    PatchCnnOptions o;
    o.d = 5;
    o.classes = 3;
    o.width = 2;
    o.rho = 0.3;
    o.init_std = 0.5;  // preactivations on both sides of 0 and of ρ
    o.activation = activation;
    PatchCnn net(o, gen);
    net->to(torch::kFloat64);
    const at::Tensor x = torch::randn({7, 4, 5}, gen, torch::kFloat64);
    const at::Tensor y = torch::randint(0, 3, {7}, gen, torch::kInt64);
    const auto loss = [&](const at::Tensor& input) { return per_example_loss(net->forward(input), y).sum(); };
    const double h = 1e-6;
    // Parameters.
    const at::Tensor grad_w = torch::autograd::grad({loss(x)}, {net->weight})[0];
    torch::NoGradGuard no_grad;
    at::Tensor flat = net->weight.view({-1});
    for (int64_t i = 0; i < flat.numel(); i += 3) {
      const double saved = flat[i].item<double>();
      flat[i] = saved + h;
      const double up = loss(x).item<double>();
      flat[i] = saved - h;
      const double down = loss(x).item<double>();
      flat[i] = saved;
      EXPECT_NEAR(grad_w.view({-1})[i].item<double>(), (up - down) / (2 * h), 1e-5) << i;
    }
    // Input.
    const at::Tensor grad_x = input_gradient(forward_of(torch::nn::AnyModule(net)), per_example_loss, x, y);
    for (int64_t i = 0; i < x.numel(); i += 7) {
      at::Tensor e = torch::zeros_like(x);
      e.view({-1})[i] = h;
      EXPECT_NEAR(grad_x.view({-1})[i].item<double>(), ((loss(x + e) - loss(x - e)) / (2 * h)).item<double>(), 1e-5);
    }
  }
}

TEST(PatchCnn, BinaryTaskReadsOutTheDifferenceOfTheTwoBanks) {
  at::Generator gen = make_generator(7);
  PatchCnnOptions o;
  o.d = 4;
  o.classes = 2;
  o.binary = true;
  o.activation = "relu-power";
  o.init_std = 1;
  PatchCnn net(o, gen);
  const at::Tensor x = torch::randn({3, 5, 4}, gen);
  const at::Tensor pre = x.matmul(net->weight.view({2 * o.width, 4}).t());  // [3, 5, 2m]
  const at::Tensor act = relu_power(pre, o.q).view({3, 5, 2, o.width}).sum({1, 3});
  EXPECT_TRUE(torch::allclose(net->forward(x), act.select(1, 1) - act.select(1, 0), 1e-4, 1e-4));
}

TEST(FeatureCoefficients, AreTheLargestFilterProjectionOnTheUnitFeature) {
  const at::Tensor w = torch::tensor({{{1.0, 0.0}, {0.5, 2.0}}, {{-1.0, 0.0}, {0.0, -3.0}}});  // [2, 2, 2]
  const at::Tensor features = torch::tensor({{0.0, 2.0}, {3.0, 0.0}});  // unit (0,1), (1,0)
  const at::Tensor c = feature_coefficients(w, features);
  EXPECT_DOUBLE_EQ(c[0].item<double>(), 2.0);
  EXPECT_DOUBLE_EQ(c[1].item<double>(), 0.0);
}

// For f(x) = ⟨a, x⟩ with the logistic loss L = log(1 + e^{−y f}), ∇_x L = −y σ(−y f) a: at radius r
// the loss rises most by moving x by −r·y·sign(a) (ℓ∞) or −r·y·a/‖a‖ (ℓ2), so the largest loss
// increase is L(f − r‖a‖_dual) − L(f) and the largest gradient norm is σ(−y f + r‖a‖_dual)·‖a‖_dual.
TEST(LossLandscape, MatchesTheClosedFormOfALinearModel) {
  const at::Tensor a = torch::tensor({0.5, -1.0, 0.25, 2.0}, torch::kFloat64);
  const at::Tensor x = torch::tensor({{0.3, 0.1, -0.2, 0.4}, {-0.5, 0.2, 0.1, -0.3}}, torch::kFloat64);
  const at::Tensor y = torch::tensor({1, -1}, torch::kInt64);
  const Victim victim = make_victim([a](const at::Tensor& t) { return t.matmul(a); });
  const at::Tensor margin = x.matmul(a) * y.to(torch::kFloat64);
  for (const Norm norm : {Norm::Linf, Norm::L2}) {
    const double dual = norm == Norm::Linf ? a.abs().sum().item<double>() : a.norm().item<double>();
    double last_increase = 0;
    for (const double r : {0.0, 0.05, 0.1, 0.2}) {
      LandscapeOptions o;
      o.norm = norm;
      o.steps = 20;
      const Landscape l = loss_landscape(victim, x, y, r, o);
      const at::Tensor loss_at = torch::softplus(-(margin - r * dual)), loss_0 = torch::softplus(-margin);
      EXPECT_NEAR(l.max_loss_increase, (loss_at - loss_0).mean().item<double>(), 1e-9) << r;
      EXPECT_NEAR(l.max_gradient_norm, (torch::sigmoid(-(margin - r * dual)) * dual).mean().item<double>(), 1e-9) << r;
      EXPECT_GE(l.max_loss_increase, last_increase);
      last_increase = l.max_loss_increase;
    }
  }
}
