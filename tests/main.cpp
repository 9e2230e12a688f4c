// The test binary's main: the same kernel selection as robustlab itself, one thread (ctest runs
// two tests at once on the two cores), then GoogleTest.
#include <gtest/gtest.h>

#include "runtime/allocator.h"
#include "runtime/blas_kernels.h"
#include "runtime/threads.h"

int main(int argc, char** argv) {
  robustlab::select_blas_kernels(argv);
  robustlab::keep_freed_memory_for_reuse();
  robustlab::apply_thread_plan(robustlab::plan_threads(1, robustlab::Workload::Elementwise));
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
