#pragma once

namespace robustlab::bench {

// GFLOP/s of an n×n×n float32 torch::mm under the current kernels and thread settings.
double sgemm_gflops(long n, int repeats);

}  // namespace robustlab::bench
