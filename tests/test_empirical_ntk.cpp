// The empirical NTK's structured path (dense chains: Gram of layer inputs ∘ Gram of back-propagated
// signals) against the explicit per-example Jacobian contraction, in float64, per output and
// traced, on each model it reads; the Jacobian path against the closed form of a linear model;
// convolutions; the fallback on a module it cannot read.
#include <gtest/gtest.h>

#include "kernel_checks.h"
#include "models/binary_readout.h"
#include "models/image/image_classifier.h"
#include "models/two_layer/decoupled_relu.h"
#include "models/two_layer/two_layer_relu.h"
#include "probes/ntk/empirical_ntk.h"
#include "probes/ntk/module_chain.h"
#include "runtime/random.h"

using namespace robustlab;
using robustlab::test::relative_error;

namespace {

// Structured and Jacobian paths agree on Θ(x1, x2) and Θ(x1, x1), in both forms, and the trace is
// the trace of the per-output kernel.
void expect_paths_agree(const torch::nn::AnyModule& model, const torch::Tensor& x1, const torch::Tensor& x2) {
  ASSERT_TRUE(dense_chain_of(model).has_value());
  for (NtkForm form : {NtkForm::PerOutput, NtkForm::Trace}) {
    SCOPED_TRACE(form == NtkForm::PerOutput ? "per output" : "trace");
    for (const torch::Tensor& other : {x2, x1}) {
      const torch::Tensor structured = empirical_ntk(model, x1, other, form, NtkPath::Structured);
      const torch::Tensor jacobian = empirical_ntk(model, x1, other, form, NtkPath::Jacobian);
      ASSERT_EQ(structured.sizes(), jacobian.sizes());
      EXPECT_GT(jacobian.abs().max().item<double>(), 0);
      EXPECT_LT(relative_error(structured, jacobian), 1e-5);
    }
  }
  const torch::Tensor per_output = empirical_ntk(model, x1, x2, NtkForm::PerOutput);
  EXPECT_LT(relative_error(reduce_ntk(per_output, NtkForm::Trace), empirical_ntk(model, x1, x2, NtkForm::Trace)), 1e-12);
}

ImageModelSpec image_spec(const std::string& architecture, int64_t side, int64_t outputs) {
  ImageModelSpec spec;
  spec.architecture = architecture;
  spec.hidden = {7, 5};
  spec.input_shape = {1, side, side};
  spec.outputs = outputs;
  spec.channel_mean = {0.4};
  spec.channel_std = {0.3};
  return spec;
}

// A Sequential with a Tensor forward, which AnyModule can hold (a plain Sequential's forward is a
// template), the way a user writes an MLP as one module.
struct SequentialNetImpl : torch::nn::SequentialImpl {
  using SequentialImpl::SequentialImpl;
  torch::Tensor forward(torch::Tensor x) { return SequentialImpl::forward(x); }
};
TORCH_MODULE(SequentialNet);

}  // namespace

TEST(EmpiricalNtk, JacobianPathOfALinearModelIsItsClosedForm) {
  // f(x) = W x + b: ∂f_a/∂W_{bk} = δ_ab x_k, ∂f_a/∂b_b = δ_ab, so Θ_ab(x, x') = δ_ab (⟨x, x'⟩ + 1).
  at::Generator gen = make_generator(11);
  torch::nn::Linear linear(4, 3);
  linear->to(torch::kFloat64);
  const torch::Tensor x1 = torch::randn({5, 4}, gen, torch::kFloat64), x2 = torch::randn({3, 4}, gen, torch::kFloat64);
  const torch::Tensor expected =
      (x1.matmul(x2.t()) + 1).view({5, 1, 3, 1}) * torch::eye(3, torch::kFloat64).view({1, 3, 1, 3});
  for (NtkPath path : {NtkPath::Jacobian, NtkPath::Structured}) {
    const torch::Tensor theta = empirical_ntk(torch::nn::AnyModule(linear), x1, x2, NtkForm::PerOutput, path);
    EXPECT_LT(relative_error(theta, expected), 1e-12);
  }
}

TEST(EmpiricalNtk, ImageMlpStructuredMatchesJacobians) {
  at::Generator gen = make_generator(12);
  ImageClassifier model(image_spec("mlp", 4, 3), gen);
  model->to(torch::kFloat64);
  model->eval();
  expect_paths_agree(torch::nn::AnyModule(model), torch::rand({6, 1, 4, 4}, gen, torch::kFloat64),
                     torch::rand({4, 1, 4, 4}, gen, torch::kFloat64));
}

TEST(EmpiricalNtk, BinaryImageMlpStructuredMatchesJacobians) {
  at::Generator gen = make_generator(13);
  ImageClassifier model(image_spec("mlp", 4, 1), gen);  // forward [n]: the single output's kernel
  model->to(torch::kFloat64);
  model->eval();
  const torch::Tensor x1 = torch::rand({6, 1, 4, 4}, gen, torch::kFloat64);
  expect_paths_agree(torch::nn::AnyModule(model), x1, torch::rand({4, 1, 4, 4}, gen, torch::kFloat64));
  EXPECT_EQ(empirical_ntk(torch::nn::AnyModule(model), x1, NtkForm::Trace).sizes(), (std::vector<int64_t>{6, 6}));
}

TEST(EmpiricalNtk, SequentialWithTanhAndAFrozenWeightStructuredMatchesJacobians) {
  at::Generator gen = make_generator(14);
  SequentialNet net(torch::nn::Linear(5, 8), torch::nn::Tanh(), torch::nn::Linear(8, 6), torch::nn::ReLU(),
                            torch::nn::Linear(6, 2));
  net->to(torch::kFloat64);
  for (auto& p : net->parameters()) {
    torch::NoGradGuard no_grad;
    p.normal_(0, 0.7, gen);
  }
  net->named_parameters()["2.weight"].requires_grad_(false);  // not a parameter of the kernel
  expect_paths_agree(torch::nn::AnyModule(net), torch::randn({5, 5}, gen, torch::kFloat64),
                     torch::randn({3, 5}, gen, torch::kFloat64));
}

TEST(EmpiricalNtk, TwoLayerNetsStructuredMatchJacobians) {
  at::Generator gen = make_generator(15);
  const torch::Tensor x1 = torch::randn({7, 6}, gen, torch::kFloat64), x2 = torch::randn({4, 6}, gen, torch::kFloat64);
  TwoLayerReluOptions o;
  o.input_dim = 6;
  o.width = 4;
  o.init_std = 0.5;
  TwoLayerRelu two_layer(o, gen);
  two_layer->to(torch::kFloat64);
  { torch::NoGradGuard g; two_layer->bias.uniform_(-0.3, 0.3, gen); }
  {
    SCOPED_TRACE("two-layer ReLU");
    expect_paths_agree(torch::nn::AnyModule(two_layer), x1, x2);
  }
  DecoupledReluOptions d;
  d.input_dim = 6;
  d.outputs = 4;
  d.units_per_output = 2;
  d.init_std = 0.5;
  DecoupledRelu decoupled(d, gen);
  decoupled->to(torch::kFloat64);
  { torch::NoGradGuard g; decoupled->bias.uniform_(-0.3, 0.3, gen); }
  {
    SCOPED_TRACE("decoupled ReLU");
    expect_paths_agree(torch::nn::AnyModule(decoupled), x1, x2);
  }
  BinaryReadout readout(torch::nn::AnyModule(decoupled), torch::tensor({1, 0, 1, 0}, torch::kInt64) > 0);
  SCOPED_TRACE("binary readout of the decoupled net");
  expect_paths_agree(torch::nn::AnyModule(readout), x1, x2);
}

TEST(EmpiricalNtk, SmallCnnStructuredMatchesJacobians) {
  at::Generator gen = make_generator(16);
  for (int64_t outputs : {3, 1}) {
    SCOPED_TRACE(outputs);
    ImageClassifier cnn(image_spec("small-cnn", 12, outputs), gen);
    cnn->to(torch::kFloat64);
    cnn->eval();
    expect_paths_agree(torch::nn::AnyModule(cnn), torch::rand({3, 1, 12, 12}, gen, torch::kFloat64),
                       torch::rand({2, 1, 12, 12}, gen, torch::kFloat64));
  }
}

// Stride, padding, dilation, a convolution without bias and one whose weight is frozen.
TEST(EmpiricalNtk, ConvolutionGeometriesStructuredMatchJacobians) {
  namespace nn = torch::nn;
  torch::manual_seed(5);
  SequentialNet net(nn::Conv2d(nn::Conv2dOptions(2, 3, 3).stride(2).padding(1)), nn::ReLU(),
                    nn::Conv2d(nn::Conv2dOptions(3, 4, {2, 3}).dilation(2).bias(false)), nn::Tanh(),
                    nn::Conv2d(nn::Conv2dOptions(4, 2, 1)), nn::Flatten(), nn::Linear(2 * 2 * 1, 2));  // 7x9 -> 4x5 -> 2x1
  net->to(torch::kFloat64);
  net->ptr(4)->as<nn::Conv2dImpl>()->weight.requires_grad_(false);
  at::Generator gen = make_generator(17);
  const torch::Tensor x1 = torch::randn({3, 2, 7, 9}, gen, torch::kFloat64);
  expect_paths_agree(torch::nn::AnyModule(net), x1, torch::randn({4, 2, 7, 9}, gen, torch::kFloat64));
}

// A module the chain cannot read (batch norm has parameters of its own kind) goes through Jacobians.
TEST(EmpiricalNtk, BatchNormFallsBackToJacobians) {
  namespace nn = torch::nn;
  torch::manual_seed(6);
  SequentialNet net(nn::Conv2d(nn::Conv2dOptions(1, 2, 3)), nn::BatchNorm2d(2), nn::ReLU(), nn::Flatten(),
                    nn::Linear(2 * 4 * 4, 3));
  net->to(torch::kFloat64);
  net->eval();
  const torch::nn::AnyModule model(net);
  EXPECT_FALSE(dense_chain_of(model).has_value());
  at::Generator gen = make_generator(18);
  const torch::Tensor x = torch::rand({3, 1, 6, 6}, gen, torch::kFloat64);
  EXPECT_THROW(empirical_ntk(model, x, NtkForm::Trace, NtkPath::Structured), std::invalid_argument);
  const torch::Tensor theta = empirical_ntk(model, x, NtkForm::PerOutput);
  EXPECT_TRUE(torch::equal(theta, empirical_ntk(model, x, NtkForm::PerOutput, NtkPath::Jacobian)));
  // A Gram matrix: symmetric, positive semi-definite.
  const torch::Tensor matrix = theta.reshape({9, 9});
  EXPECT_LT(relative_error(matrix.t(), matrix), 1e-12);
  EXPECT_GT(torch::linalg_eigvalsh(matrix).min().item<double>(), -1e-10 * matrix.abs().max().item<double>());
}
