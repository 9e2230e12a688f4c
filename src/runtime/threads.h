// How robustlab splits the machine's cores between LibTorch's intra-op pool (element-wise ops,
// oneDNN convolutions) and OpenBLAS's own pool (matrix products). Both pools busy at once fight
// for the same cores, so each workload gets one pool at full width and the other at 1:
//   large GEMMs dominate:                torch 1, BLAS N;
//   conv-bound (CNNs via oneDNN):        torch N, BLAS 1.
#pragma once
#include <string>

namespace robustlab {

enum class Workload { LargeGemm, Elementwise };

// The config key `threads` records the count a run used: some of LibTorch's kernels round
// differently with another count (oneDNN's convolution weight gradients split their sums over
// threads, and so do OpenBLAS's products with more than 448 terms), so a run is reproduced bit for
// bit with the same count.
constexpr const char* kThreadsHelp =
    "threads (0: all cores); written out as the count used, since some LibTorch kernels round "
    "differently with another count";
constexpr double kMaxThreads = 256;

struct ThreadPlan {
  int torch_threads = 1;
  int blas_threads = 1;
};

// threads <= 0 means all cores.
ThreadPlan plan_threads(int threads, Workload workload);
void apply_thread_plan(const ThreadPlan& plan);
int available_cores();

}  // namespace robustlab
