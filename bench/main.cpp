// robustlab's benchmarks. Run: build/bench/robustlab_bench  (--benchmark_filter=Gemm etc.)
// Like robustlab itself, the binary selects BLAS kernels first; with ROBUSTLAB_BENCH_GEMM_ONLY set
// it only prints one SGEMM throughput and exits, and with ROBUSTLAB_BENCH_PLAIN=ARCH it runs the
// plain-LibTorch training and PGD reference (plain_libtorch.h) and prints its throughputs: that is
// how the benchmarks measure untuned LibTorch defaults in a child process within the same run.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "bench_gemm.h"
#include "plain_libtorch.h"
#include "runtime/allocator.h"
#include "runtime/blas_kernels.h"

int main(int argc, char** argv) {
  robustlab::select_blas_kernels(argv);
  robustlab::keep_freed_memory_for_reuse();
  if (const char* architecture = std::getenv("ROBUSTLAB_BENCH_PLAIN")) {
    const auto t = robustlab::bench::plain_libtorch_throughput(architecture, std::getenv("ROBUSTLAB_BENCH_ROOT"),
                                                               20000, 2000, 5000);
    std::printf("%.3f %.3f %.3f\n", t.train_examples_per_s, t.pgd10_examples_per_s, t.pgd_training_examples_per_s);
    return 0;
  }
  if (std::getenv("ROBUSTLAB_BENCH_GEMM_ONLY")) {
    std::printf("%.3f\n", robustlab::bench::sgemm_gflops(2048, 3));
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
