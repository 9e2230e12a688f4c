// The infinite-width ReLU NTK: its depth-1 closed form against a direct implementation of the
// arc-cosine kernels, the empirical NTK of ever wider networks of that architecture approaching
// it, and its gradient in x.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "kernel_checks.h"
#include "models/ntk_relu_net.h"
#include "probes/ntk/empirical_ntk.h"
#include "probes/ntk/infinite_relu_ntk.h"
#include "runtime/random.h"

using namespace robustlab;
using robustlab::test::relative_error;

namespace {

// Cho & Saul's arc-cosine kernel of degree n ∈ {0, 1} of two vectors,
//     k_n(u, v) = ‖u‖ⁿ ‖v‖ⁿ J_n(θ) / π,   J_0 = π − θ,   J_1 = sin θ + (π − θ) cos θ,
// which is 2 E_w[step(w·u) step(w·v) (w·u)ⁿ (w·v)ⁿ] for w ~ N(0, I).
double arc_cosine(int degree, const std::vector<double>& u, const std::vector<double>& v) {
  double uv = 0, uu = 0, vv = 0;
  for (size_t k = 0; k < u.size(); ++k) {
    uv += u[k] * v[k];
    uu += u[k] * u[k];
    vv += v[k] * v[k];
  }
  const double theta = std::acos(std::clamp(uv / std::sqrt(uu * vv), -1.0, 1.0));
  if (degree == 0) return (M_PI - theta) / M_PI;
  return std::sqrt(uu * vv) * (std::sin(theta) + (M_PI - theta) * std::cos(theta)) / M_PI;
}

// The NTK-parameterised ReLU network of infinite_relu_ntk.h at finite width, in float64.
NtkReluNet ntk_parameterised_relu_net(int64_t inputs, int64_t width, const ReluNtkOptions& o, at::Generator& gen) {
  NtkReluNet net(NtkReluNetOptions{inputs, width, o}, gen);
  net->to(torch::kFloat64);
  return net;
}

}  // namespace

TEST(InfiniteNtk, DepthOneIsTheArcCosineClosedForm) {
  // One hidden layer: with x̃ = (σ_w x/√d, σ_b), Σ¹ = ⟨x̃, x̃'⟩, and
  //     Θ = Σ¹ · σ_w² k_0(x̃, x̃')/2 + σ_w² k_1(x̃, x̃')/2 + σ_b².
  at::Generator gen = make_generator(21);
  const int64_t d = 5;
  torch::Tensor x = torch::randn({6, d}, gen, torch::kFloat64);
  x[3] = x[1] * 2.5;  // ρ = 1 between different points
  const torch::Tensor theta = infinite_relu_ntk(x, x);
  const ReluNtkOptions o;
  const double w2 = o.weight_std * o.weight_std;
  auto augmented = [&](int64_t i) {
    std::vector<double> u;
    for (int64_t k = 0; k < d; ++k) u.push_back(o.weight_std * x[i][k].item<double>() / std::sqrt(double(d)));
    u.push_back(o.bias_std);
    return u;
  };
  for (int64_t i = 0; i < 6; ++i) {
    for (int64_t j = 0; j < 6; ++j) {
      const auto u = augmented(i), v = augmented(j);
      double sigma = 0;
      for (size_t k = 0; k < u.size(); ++k) sigma += u[k] * v[k];
      const double expected = sigma * w2 * arc_cosine(0, u, v) / 2 + w2 * arc_cosine(1, u, v) / 2 + o.bias_std * o.bias_std;
      // arccos near ρ = 1 turns a rounding of ρ by ε into θ ≈ √(2ε) ≈ 2e-8: the agreement allowed.
      EXPECT_NEAR(theta[i][j].item<double>(), expected, 1e-7 * std::abs(expected)) << i << ", " << j;
    }
  }
}

TEST(InfiniteNtk, WideNetworksApproachIt) {
  at::Generator gen = make_generator(22);
  const torch::Tensor x = torch::randn({8, 5}, gen, torch::kFloat64);
  ReluNtkOptions o;
  o.hidden_layers = 1;
  const torch::Tensor limit = infinite_relu_ntk(x, x, o);
  std::vector<double> errors;
  for (int64_t width : {64, 512, 4096}) {
    const NtkReluNet net = ntk_parameterised_relu_net(5, width, o, gen);
    errors.push_back(relative_error(empirical_ntk(torch::nn::AnyModule(net), x, NtkForm::Trace, NtkPath::Structured), limit));
  }
  std::printf("relative error at widths 64, 512, 4096: %.4f %.4f %.4f\n", errors[0], errors[1], errors[2]);
  EXPECT_GT(errors[0], errors[1]);
  EXPECT_GT(errors[1], errors[2]);
  EXPECT_LT(errors[2], 0.05) << "width 4096";
}

TEST(InfiniteNtk, NtkParameterisedNetStructuredMatchesJacobians) {
  // The scales s_w = σ_w/√fan_in, s_b = σ_b of the wide networks above, through both paths.
  at::Generator gen = make_generator(23);
  ReluNtkOptions o;
  o.hidden_layers = 2;
  const torch::nn::AnyModule net(ntk_parameterised_relu_net(5, 16, o, gen));
  const torch::Tensor x = torch::randn({6, 5}, gen, torch::kFloat64);
  EXPECT_LT(relative_error(empirical_ntk(net, x, NtkForm::Trace, NtkPath::Structured),
                           empirical_ntk(net, x, NtkForm::Trace, NtkPath::Jacobian)),
            1e-5);
}

TEST(InfiniteNtk, GradientInXMatchesFiniteDifferencesAndIsFiniteOnTheTrainingPoints) {
  at::Generator gen = make_generator(24);
  const torch::Tensor train = torch::randn({5, 4}, gen, torch::kFloat64);
  ReluNtkOptions o;
  o.hidden_layers = 3;
  const torch::Tensor weights = torch::randn({5}, gen, torch::kFloat64);
  auto score = [&](const torch::Tensor& x) { return infinite_relu_ntk(x, train, o).matmul(weights).sum(); };
  torch::Tensor x = torch::randn({1, 4}, gen, torch::kFloat64).requires_grad_(true);
  const torch::Tensor grad = torch::autograd::grad({score(x)}, {x})[0];
  const double h = 1e-6;
  for (int64_t k = 0; k < 4; ++k) {
    torch::NoGradGuard no_grad;
    torch::Tensor up = x.detach().clone(), down = x.detach().clone();
    up[0][k] += h;
    down[0][k] -= h;
    const double numeric = (score(up).item<double>() - score(down).item<double>()) / (2 * h);
    EXPECT_NEAR(grad[0][k].item<double>(), numeric, 1e-6 * (1 + std::abs(numeric)));
  }
  torch::Tensor on_train = train.slice(0, 2, 3).clone().requires_grad_(true);
  EXPECT_TRUE(torch::autograd::grad({score(on_train)}, {on_train})[0].isfinite().all().item<bool>());
}
