// LibTorch's matrix products on CPU go through the system BLAS (Debian: OpenBLAS). OpenBLAS picks
// its kernels once, when it is loaded, from the CPU it recognises; on CPUs newer than it knows it
// falls back to old SSE3 kernels that are ~5x slower. The choice can only be changed through the
// environment variable OPENBLAS_CORETYPE before the library loads, i.e. by re-executing the
// process: select_blas_kernels() does that once, at the top of main, when it pays.
#pragma once
#include <string>

namespace robustlab {

// Re-executes this program with OPENBLAS_CORETYPE set when OpenBLAS runs kernels older than the
// CPU supports (and the user set nothing). Returns only if no re-exec was needed or possible.
// Set ROBUSTLAB_BLAS_TUNING=off to keep whatever the library chose.
void select_blas_kernels(char** argv);

// The kernel family OpenBLAS runs ("Haswell", "SkylakeX", ...), or "not OpenBLAS".
std::string blas_core_name();

// OpenBLAS's own thread pool size; no-op for another BLAS. Returns false if it could not be set.
bool set_blas_threads(int threads);
int blas_threads();

// The widest vector instruction set this CPU (and OS) supports: "avx512", "avx2" or "sse".
std::string cpu_vector_isa();

}  // namespace robustlab
