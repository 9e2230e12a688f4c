#include <benchmark/benchmark.h>

#include "runtime/allocator.h"
#include "runtime/blas_kernels.h"

int main(int argc, char** argv) {
  robustlab::select_blas_kernels(argv);
  robustlab::keep_freed_memory_for_reuse();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
