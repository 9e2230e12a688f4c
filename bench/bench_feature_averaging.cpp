// The feature-averaging study at paper size (d = 3072, k = 10, n = 1000, 100 GD steps, both
// models, PGD on the eps grid 2..80), and its attack sweep alone on a trained binary net.
// Reference point: ~46 s for the whole study before the allocator and PGD work (see
// runtime/allocator.h), on this 2-core machine.
#include <benchmark/benchmark.h>

#include "data/synthetic/orthogonal_clusters.h"
#include "models/two_layer/two_layer_relu.h"
#include "probes/robust_accuracy.h"
#include "runtime/random.h"
#include "runtime/threads.h"
#include "studies/registry.h"
#include "train/train.h"

namespace robustlab::bench {
namespace {

void BM_FeatureAveragingStudy(benchmark::State& state) {
  apply_thread_plan(plan_threads(0, Workload::Elementwise));
  const Study& study = find_study("feature-averaging");
  const PreparedRun run = study.prepare(Config::defaults(study.schema()));
  for (auto _ : state) {
    const StudyResult r = run.run(RunContext{});
    benchmark::DoNotOptimize(r.claims.data());
  }
}
BENCHMARK(BM_FeatureAveragingStudy)->Iterations(1)->Unit(benchmark::kSecond);

// Args: {PGD steps}. Counter: PGD steps per second summed over the grid (1000 examples each).
void BM_AttackSweep(benchmark::State& state) {
  apply_thread_plan(plan_threads(0, Workload::Elementwise));
  at::Generator gen = make_generator(0);
  const OrthogonalClusters data = make_orthogonal_clusters({}, gen);
  TwoLayerReluOptions o;
  o.input_dim = 3072;
  TwoLayerRelu net(o, gen);
  const Forward forward = forward_of(torch::nn::AnyModule(net));
  TrainOptions gd;
  gd.steps = 100;
  train(torch::nn::AnyModule(net), data.train.inputs, data.train.labels, gd, gen, "");
  const int steps = static_cast<int>(state.range(0));
  std::vector<double> grid;
  for (int e = 2; e <= 80; e += 2) grid.push_back(e);
  AttackSpec pgd;
  pgd.name = "pgd-l2";
  pgd.steps = steps;
  pgd.random_start = RandomStart::Sphere;
  for (auto _ : state) {
    auto rows = robust_accuracy_curve("binary", make_victim(forward), data.test.inputs, data.test.labels, {{pgd, grid}}, 0);
    benchmark::DoNotOptimize(rows.data());
  }
  state.counters["pgd_steps_per_s"] = benchmark::Counter(
      static_cast<double>(grid.size() * steps) * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AttackSweep)->Arg(7)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace robustlab::bench
