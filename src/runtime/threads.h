// How robustlab splits the machine's cores between LibTorch's intra-op pool (element-wise ops,
// oneDNN convolutions) and OpenBLAS's own pool (matrix products). Both pools busy at once fight
// for the same cores, so each workload gets one pool at full width and the other at 1. OpenBLAS on
// one thread also keeps matrix products the same at any thread count.
#pragma once
#include <string>

namespace robustlab {

// What dominates a run's time, which decides how the cores are split, and whether its results
// depend on the thread count at all.
enum class Workload {
  Elementwise,   // torch N threads, OpenBLAS 1: the same bits at any thread count
  Convolutions,  // torch N, OpenBLAS 1; oneDNN splits a convolution's weight-gradient sums over
                 // its threads, so training results depend on the count
  LargeGemm,     // torch 1, OpenBLAS N; OpenBLAS splits products of more than 448 terms over
                 // its threads, so results depend on the count
};

bool results_depend_on_threads(Workload workload);

// The config key `threads` records the count a run used: some of LibTorch's kernels round
// differently with another count (oneDNN's convolution weight gradients split their sums over
// threads, and so do OpenBLAS's products with more than 448 terms), so a run is reproduced bit for
// bit with the same count.
constexpr const char* kThreadsHelp =
    "threads (0: the free cores, or all where results depend on the count); written out as the count used";
constexpr double kMaxThreads = 256;

struct ThreadPlan {
  int torch_threads = 1;
  int blas_threads = 1;
};

// threads <= 0 means all cores.
ThreadPlan plan_threads(int threads, Workload workload);
void apply_thread_plan(const ThreadPlan& plan);
int available_cores();

// The cores no other process is using now (at least 1). OpenMP's threads spin while they wait for
// each other: a run with more threads than free cores waits on threads the kernel has handed to
// another process, ten times slower (measured: 29 s against 3 s). Where a run's results do not
// depend on its thread count, robustlab uses only the free cores unless told a number.
int free_cores();

// The thread count a run uses: `asked` if > 0; else all cores, or the free cores where the results
// do not depend on the count.
int resolve_threads(int asked, Workload workload);

}  // namespace robustlab
