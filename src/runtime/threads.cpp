#include "runtime/threads.h"

#include <ATen/Parallel.h>
#include <unistd.h>

#include "runtime/blas_kernels.h"

namespace robustlab {

int available_cores() {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

ThreadPlan plan_threads(int threads, Workload workload) {
  const int n = threads > 0 ? threads : available_cores();
  if (workload == Workload::LargeGemm) return {1, n};
  return {n, 1};
}

void apply_thread_plan(const ThreadPlan& plan) {
  at::set_num_threads(plan.torch_threads);
  set_blas_threads(plan.blas_threads);
}

}  // namespace robustlab
