// Comparisons shared by the kernel tests (probes/ntk).
#pragma once
#include <ATen/core/Tensor.h>

namespace robustlab::test {

// ‖a − b‖_F / ‖b‖_F.
inline double relative_error(const at::Tensor& a, const at::Tensor& b) {
  return ((a - b).norm() / b.norm()).item<double>();
}

}  // namespace robustlab::test
