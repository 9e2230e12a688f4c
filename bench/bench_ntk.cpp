// The empirical NTK of a small network (Fashion-MNIST shape 1x28x28, 10 outputs; float32) on a
// batch of 250 random images, through the structured path (dense layers: Gram of layer inputs ∘
// Gram of back-propagated signals; convolutions: batched per-example gradients;
// probes/ntk/structured_ntk.h) and through the explicit per-example Jacobian contraction
// (probes/ntk/jacobian_ntk.h), in the same run: seconds of each, their ratio, and the two
// kernels' relative difference. Args: the network (0 an MLP with 64 hidden units, 1 the small CNN,
// LeNet-5 style, 61,706 parameters), the form (0 the trace over outputs [250, 250], 1 the
// per-output kernel [250, 10, 250, 10]).
#include <benchmark/benchmark.h>

#include <chrono>

#include "models/image/image_classifier.h"
#include "probes/ntk/empirical_ntk.h"
#include "runtime/random.h"
#include "runtime/threads.h"

namespace robustlab::bench {
namespace {

double seconds_of(const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BM_EmpiricalNtkStructuredVsJacobian(benchmark::State& state) {
  apply_thread_plan(plan_threads(0, Workload::LargeGemm));  // both paths are matrix products
  const NtkForm form = state.range(1) == 0 ? NtkForm::Trace : NtkForm::PerOutput;
  at::Generator gen = make_generator(1);
  ImageModelSpec spec;
  spec.architecture = state.range(0) == 0 ? "mlp" : "small-cnn";
  spec.hidden = {64};
  spec.input_shape = {1, 28, 28};
  spec.outputs = 10;
  spec.channel_mean = {0.286};
  spec.channel_std = {0.353};
  ImageClassifier model(spec, gen);
  model->eval();
  const torch::nn::AnyModule any(model);
  const torch::Tensor x = torch::rand({250, 1, 28, 28}, gen);
  torch::Tensor structured, jacobian;
  double structured_s = 0, jacobian_s = 0;
  for (auto _ : state) {
    structured_s = seconds_of([&] { structured = empirical_ntk(any, x, form, NtkPath::Structured); });
    jacobian_s = seconds_of([&] { jacobian = empirical_ntk(any, x, form, NtkPath::Jacobian); });
  }
  state.counters["structured_s"] = structured_s;
  state.counters["jacobian_s"] = jacobian_s;
  state.counters["speedup"] = jacobian_s / structured_s;
  state.counters["relative_difference"] = ((structured - jacobian).norm() / jacobian.norm()).item<double>();
}
BENCHMARK(BM_EmpiricalNtkStructuredVsJacobian)
    ->ArgsProduct({{0, 1}, {0, 1}})
    ->ArgNames({"cnn", "per_output"})
    ->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace robustlab::bench
