// SGEMM throughput: robustlab's kernel and thread choice against (a) what LibTorch and OpenBLAS do
// left alone, measured in a child process with ROBUSTLAB_BLAS_TUNING=off, and (b) every split of
// the cores between LibTorch and OpenBLAS, the best of which is the machine's best here.
#include "bench_gemm.h"

#include <benchmark/benchmark.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>

#include "runtime/blas_kernels.h"
#include "runtime/threads.h"

namespace robustlab::bench {

double sgemm_gflops(long n, int repeats) {
  const torch::Tensor a = torch::randn({n, n}), b = torch::randn({n, n});
  torch::mm(a, b);  // warm up
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < repeats; ++i) torch::mm(a, b);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return 2.0 * n * n * n * repeats / s / 1e9;
}

namespace {

double untuned_gflops() {
  static double value = [] {
    char self[PATH_MAX] = {};
    if (readlink("/proc/self/exe", self, sizeof self - 1) <= 0) return 0.0;
    const std::string cmd = std::string("env -u OPENBLAS_CORETYPE ROBUSTLAB_BLAS_TUNING=off "
                                        "ROBUSTLAB_BENCH_GEMM_ONLY=1 '") + self + "'";
    FILE* child = popen(cmd.c_str(), "r");
    double g = 0;
    if (!child || std::fscanf(child, "%lf", &g) != 1) g = 0;
    if (child) pclose(child);
    return g;
  }();
  return value;
}

double best_split_gflops = 0;  // the best over the thread splits measured so far

// Args: {torch threads, BLAS threads}; {0, 0} is robustlab's plan for large GEMMs, run last.
void BM_Sgemm2048(benchmark::State& state) {
  const ThreadPlan plan = state.range(0) == 0 ? plan_threads(0, Workload::LargeGemm)
                                              : ThreadPlan{static_cast<int>(state.range(0)),
                                                           static_cast<int>(state.range(1))};
  apply_thread_plan(plan);
  double gflops = 0;
  for (auto _ : state) gflops = sgemm_gflops(2048, 3);
  state.counters["GFLOPs"] = gflops;
  best_split_gflops = std::max(best_split_gflops, gflops);
  if (state.range(0) == 0) {
    state.counters["fraction_of_best_split"] = gflops / best_split_gflops;
    const double reference = untuned_gflops();
    state.counters["untuned_GFLOPs"] = reference;
    state.counters["speedup_vs_untuned"] = reference > 0 ? gflops / reference : 0;
  }
  state.SetLabel(blas_core_name() + " torch " + std::to_string(plan.torch_threads) + " / BLAS " +
                 std::to_string(plan.blas_threads));
}
BENCHMARK(BM_Sgemm2048)->Args({1, 1})->Args({1, 2})->Args({2, 1})->Args({2, 2})->Args({0, 0})
    ->Iterations(2)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace robustlab::bench
