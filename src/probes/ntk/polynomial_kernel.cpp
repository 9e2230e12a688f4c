#include "probes/ntk/polynomial_kernel.h"

namespace robustlab {

at::Tensor polynomial_kernel(const at::Tensor& x1, const at::Tensor& x2, double degree, double offset) {
  return (x1.flatten(1).matmul(x2.flatten(1).t()) + offset).pow(degree);
}

}  // namespace robustlab
