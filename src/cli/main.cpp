// robustlab: the command. Kernel selection must come first: it may re-execute the process so
// that OpenBLAS loads with the right kernels (runtime/blas_kernels.h).
#include "cli/commands.h"
#include "runtime/blas_kernels.h"

int main(int argc, char** argv) {
  robustlab::select_blas_kernels(argv);
  return robustlab::cli_main(argc, argv);
}
