// The test binary's main: the same kernel selection as robustlab itself, then GoogleTest.
#include <gtest/gtest.h>

#include "runtime/allocator.h"
#include "runtime/blas_kernels.h"

int main(int argc, char** argv) {
  robustlab::select_blas_kernels(argv);
  robustlab::keep_freed_memory_for_reuse();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
