// The patch-structured studies' inner work, PGD adversarial training of the two-layer patch CNN
// with full-batch GD, through robustlab (PatchCnn, the one training loop, the registry's PGD) and
// as the plain LibTorch loop a researcher would write (a weight tensor, the activation by hand,
// a textbook PGD, torch::optim::SGD), on the same data, in the same run. Counter: GD steps per
// second of each and their ratio.
//   robust-vs-nonrobust-features:            k = 4, P = 16, d = 64, 400 points, linf PGD-5.
//   clean-generalization-robust-overfitting: P = 4, d = 200, 100 points, l2 PGD-5, ReLU^3.
#include <benchmark/benchmark.h>

#include <chrono>
#include <torch/optim/sgd.h>

#include "data/synthetic/feature_patches.h"
#include "data/synthetic/signal_noise_patches.h"
#include "experiment/fit.h"
#include "models/classification.h"
#include "models/two_layer/patch_cnn.h"
#include "runtime/random.h"
#include "runtime/threads.h"

namespace robustlab::bench {
namespace {

constexpr int kSteps = 100;

struct Setting {
  Dataset train;
  PatchCnnOptions model;
  Norm norm;
  double eps;
  double lr;
};

Setting robust_nonrobust() {
  at::Generator gen = make_generator(0);
  Setting s{make_feature_patches({}, gen).train, {}, Norm::Linf, 1.5 / 8, 0.2};
  s.model.d = 64;
  s.model.classes = 4;
  s.model.init_std = 0.1;
  return s;
}

Setting clean_generalization() {
  SignalNoisePatchesOptions o;
  o.patches = 4;
  o.d = 200;
  o.noise_std = 0.2;
  at::Generator gen = make_generator(0);
  Setting s{make_signal_noise_patches(o, gen).train, {}, Norm::L2, 0.9, 0.5};
  s.model.d = 200;
  s.model.binary = true;
  s.model.activation = "relu-power";
  s.model.width = 100;
  return s;
}

// Seconds for kSteps of PGD-5 adversarial training through robustlab's loop.
double robustlab_seconds(const Setting& s) {
  RunContext ctx;
  PatchCnn net = build<PatchCnn>("bench", s.model, ctx);
  TrainOptions o;
  o.optimizer = "gd";
  o.lr = s.lr;
  o.steps = kSteps;
  o.adversarial.method = "pgd";
  o.adversarial.norm = s.norm;
  o.adversarial.eps = s.eps;
  o.adversarial.steps = 5;
  const auto start = std::chrono::steady_clock::now();
  fit("bench", torch::nn::AnyModule(net), s.train.inputs, s.train.labels, o, ctx);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The same as a plain LibTorch program.
double plain_seconds(const Setting& s) {
  torch::manual_seed(0);
  const int64_t C = s.model.classes, m = s.model.width, d = s.model.d;
  torch::Tensor w = (torch::randn({C, m, d}) * s.model.init_std).requires_grad_(true);
  const double q = s.model.q, rho = s.model.rho;
  const auto forward = [&](const torch::Tensor& x) {
    const torch::Tensor pre = torch::einsum("npd,cmd->npcm", {x, w});
    torch::Tensor act;
    if (s.model.activation == "relu-power") {
      act = torch::relu(pre).pow(q);
    } else {
      const torch::Tensor z = torch::relu(pre);
      act = torch::where(z > rho, z - (1 - 1 / q) * rho, z.clamp_max(rho).pow(q) / (q * std::pow(rho, q - 1)));
    }
    const torch::Tensor logits = act.sum({1, 3});
    return s.model.binary ? logits.select(1, 1) - logits.select(1, 0) : logits;
  };
  const auto loss_of = [&](const torch::Tensor& out, const torch::Tensor& y) {
    return s.model.binary ? torch::softplus(-y.to(out.dtype()) * out).mean()
                          : torch::nn::functional::cross_entropy(out, y);
  };
  torch::optim::SGD optimizer({w}, torch::optim::SGDOptions(s.lr));
  const torch::Tensor x = s.train.inputs, y = s.train.labels;
  const double alpha = 2.5 * s.eps / 5;
  const auto start = std::chrono::steady_clock::now();
  for (int step = 0; step < kSteps; ++step) {
    // PGD-5 from a uniform start in the ball.
    torch::Tensor delta = s.norm == Norm::Linf ? torch::empty_like(x).uniform_(-s.eps, s.eps)
                                               : torch::randn_like(x) * (s.eps / std::sqrt(double(x[0].numel())));
    for (int t = 0; t < 5; ++t) {
      delta.requires_grad_(true);
      const torch::Tensor g = torch::autograd::grad({loss_of(forward(x + delta), y)}, {delta})[0];
      torch::NoGradGuard no_grad;
      if (s.norm == Norm::Linf) {
        delta = (delta + alpha * g.sign()).clamp(-s.eps, s.eps);
      } else {
        const torch::Tensor gn = g.flatten(1).norm(2, 1).clamp_min(1e-12).view({-1, 1, 1});
        delta = delta + alpha * g / gn;
        const torch::Tensor dn = delta.flatten(1).norm(2, 1).view({-1, 1, 1});
        delta = delta * (s.eps / dn).clamp_max(1);
      }
    }
    optimizer.zero_grad();
    loss_of(forward(x + delta.detach()), y).backward();
    optimizer.step();
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void run_pair(benchmark::State& state, const Setting& s) {
  apply_thread_plan(plan_threads(0, Workload::Elementwise));
  double ours = 0, plain = 0;
  for (auto _ : state) {
    ours = robustlab_seconds(s);
    plain = plain_seconds(s);
  }
  state.counters["robustlab_steps_per_s"] = kSteps / ours;
  state.counters["plain_libtorch_steps_per_s"] = kSteps / plain;
  state.counters["ratio_vs_plain"] = plain / ours;
}

void BM_RobustNonrobustFeaturesTraining(benchmark::State& state) { run_pair(state, robust_nonrobust()); }
BENCHMARK(BM_RobustNonrobustFeaturesTraining)->Iterations(1)->Unit(benchmark::kSecond);

void BM_CleanGeneralizationTraining(benchmark::State& state) { run_pair(state, clean_generalization()); }
BENCHMARK(BM_CleanGeneralizationTraining)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace robustlab::bench
