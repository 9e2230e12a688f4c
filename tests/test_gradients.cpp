// Each model's autograd gradients against central finite differences in float64: with respect to
// every parameter (what training uses) and to the input (what attacks use).
#include <gtest/gtest.h>

#include "models/binary_readout.h"
#include "models/classification.h"
#include "models/two_layer/decoupled_relu.h"
#include "models/two_layer/two_layer_relu.h"
#include "runtime/random.h"

using namespace robustlab;

namespace {

// Compares d loss / d t from autograd with (L(t + h e_i) − L(t − h e_i)) / 2h on a few coordinates.
void expect_gradient_matches(const std::function<torch::Tensor()>& loss_fn, torch::Tensor t,
                             const torch::Tensor& autograd_grad, int coordinates = 12) {
  const double h = 1e-6;
  auto flat = t.detach().view({-1});
  auto grad = autograd_grad.reshape({-1});
  for (int c = 0; c < coordinates; ++c) {
    const int64_t i = (c * 7919) % flat.numel();
    const double saved = flat[i].item<double>();
    flat[i] = saved + h;
    const double up = loss_fn().item<double>();
    flat[i] = saved - h;
    const double down = loss_fn().item<double>();
    flat[i] = saved;
    const double numeric = (up - down) / (2 * h);
    EXPECT_NEAR(grad[i].item<double>(), numeric, 1e-6 + 1e-5 * std::abs(numeric)) << "coordinate " << i;
  }
}

template <typename Model>
void check_model(Model model, const torch::Tensor& x, const torch::Tensor& y) {
  model->to(torch::kFloat64);
  auto loss_fn = [&] { return per_example_loss(model->forward(x), y).mean(); };
  model->zero_grad();
  loss_fn().backward();
  for (auto& p : model->named_parameters()) {
    SCOPED_TRACE(p.key());
    torch::NoGradGuard no_grad;
    expect_gradient_matches(loss_fn, p.value(), p.value().grad().clone());
  }
  torch::Tensor x_var = x.clone().requires_grad_(true);
  auto input_loss = [&] { return per_example_loss(model->forward(x_var), y).mean(); };
  const torch::Tensor gx = torch::autograd::grad({input_loss()}, {x_var})[0];
  torch::NoGradGuard no_grad;
  SCOPED_TRACE("input");
  expect_gradient_matches(input_loss, x_var, gx);
}

}  // namespace

TEST(Gradients, TwoLayerReluMatchesFiniteDifferences) {
  at::Generator gen = make_generator(1);
  TwoLayerReluOptions o;
  o.input_dim = 6;
  o.width = 3;
  o.init_std = 0.5;  // large enough that units are active on some points and not others
  TwoLayerRelu model(o, gen);
  // A nonzero bias so its gradient is tested away from the kink.
  { torch::NoGradGuard g; model->bias.uniform_(-0.3, 0.3); }
  const torch::Tensor x = torch::randn({20, 6}, gen, torch::kFloat64);
  const torch::Tensor y = torch::randint(0, 2, {20}, gen, torch::kInt64) * 2 - 1;
  check_model(model, x, y);
}

TEST(Gradients, DecoupledReluAndItsBinaryReadoutMatchFiniteDifferences) {
  at::Generator gen = make_generator(2);
  DecoupledReluOptions o;
  o.input_dim = 5;
  o.outputs = 4;
  o.units_per_output = 2;
  o.init_std = 0.5;
  DecoupledRelu net(o, gen);
  const torch::Tensor x = torch::randn({16, 5}, gen, torch::kFloat64);
  check_model(net, x, torch::randint(0, 4, {16}, gen, torch::kInt64));
  BinaryReadout readout(torch::nn::AnyModule(net), torch::tensor({1, 1, -1, -1}, torch::kInt64) > 0);
  check_model(readout, x, torch::randint(0, 2, {16}, gen, torch::kInt64) * 2 - 1);
}

TEST(Gradients, BinaryReadoutIsLogOddsOfTheClassGroups) {
  at::Generator gen = make_generator(3);
  DecoupledReluOptions o;
  o.input_dim = 4;
  o.outputs = 4;
  o.init_std = 1.0;
  DecoupledRelu net(o, gen);
  BinaryReadout readout(torch::nn::AnyModule(net), torch::tensor({1, -1, 1, -1}, torch::kInt64) > 0);
  const torch::Tensor x = torch::randn({8, 4}, gen);
  const torch::Tensor p = torch::softmax(net->forward(x), 1);
  const torch::Tensor expected =
      (p.select(1, 0) + p.select(1, 2)).log() - (p.select(1, 1) + p.select(1, 3)).log();
  EXPECT_TRUE(torch::allclose(readout->forward(x), expected, 1e-5, 1e-5));
}
