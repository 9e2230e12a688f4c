#include "runtime/environment.h"

#include <ATen/Parallel.h>
#include <torch/version.h>

#include "runtime/blas_kernels.h"
#include "runtime/onednn.h"

namespace robustlab {

RuntimeEnvironment describe_runtime(const c10::Device& device) {
  RuntimeEnvironment env;
  env.device = device.str();
  env.blas_core = blas_core_name();
  env.cpu_isa = cpu_vector_isa();
  env.onednn_isa = onednn_isa();
  env.torch_threads = at::get_num_threads();
  env.blas_threads = blas_threads();
  env.torch_version = TORCH_VERSION;
  env.robustlab_version = ROBUSTLAB_VERSION;
  return env;
}

std::string one_line(const RuntimeEnvironment& env) {
  return "device " + env.device + ", BLAS kernels " + env.blas_core + " (CPU: " + env.cpu_isa + "), oneDNN " +
         env.onednn_isa + ", threads torch " + std::to_string(env.torch_threads) +
         " / BLAS " + std::to_string(env.blas_threads) + ", LibTorch " + env.torch_version;
}

}  // namespace robustlab
