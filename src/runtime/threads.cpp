#include "runtime/threads.h"

#include <ATen/Parallel.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "runtime/blas_kernels.h"

namespace robustlab {

int available_cores() {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

bool results_depend_on_threads(Workload workload) { return workload != Workload::Elementwise; }

int free_cores() {
  // procs_running counts the runnable threads of the machine, this one included; the smallest of
  // a few samples 10 ms apart is what other processes keep busy.
  long fewest = -1;
  for (int sample = 0; sample < 5; ++sample) {
    std::ifstream stat("/proc/stat");
    std::string key;
    long value = 0;
    while (stat >> key) {
      if (key == "procs_running" && stat >> value) break;
      stat.ignore(1 << 20, '\n');
    }
    if (value > 0) fewest = fewest < 0 ? value : std::min(fewest, value);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const int cores = available_cores();
  if (fewest < 0) return cores;
  return static_cast<int>(std::clamp<long>(cores - (fewest - 1), 1, cores));
}

int resolve_threads(int asked, Workload workload) {
  if (asked > 0) return asked;
  return results_depend_on_threads(workload) ? available_cores() : free_cores();
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
