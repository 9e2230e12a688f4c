// robustlab: the command. Kernel selection must come first: it may re-execute the process so
// that OpenBLAS loads with the right kernels (runtime/blas_kernels.h).
#include "cli/commands.h"
#include "runtime/allocator.h"
#include "runtime/blas_kernels.h"

int main(int argc, char** argv) {
  robustlab::select_blas_kernels(argv);
  robustlab::keep_freed_memory_for_reuse();
  return robustlab::cli_main(argc, argv);
}
