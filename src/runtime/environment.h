// What a run computes with: device, kernels, thread counts, versions. Printed in verbose mode and
// written to results.json, so every number can be traced to the machine state that produced it.
#pragma once
#include <string>

#include <c10/core/Device.h>

namespace robustlab {

struct RuntimeEnvironment {
  std::string device;
  std::string blas_core;       // kernels OpenBLAS runs
  std::string cpu_isa;         // widest vector instructions the CPU has
  std::string onednn_isa;      // instructions oneDNN's convolution kernels use
  int torch_threads = 1;
  int blas_threads = 1;
  std::string torch_version;
  std::string robustlab_version;
};

RuntimeEnvironment describe_runtime(const c10::Device& device);
std::string one_line(const RuntimeEnvironment& env);

}  // namespace robustlab
