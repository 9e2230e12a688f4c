#include "probes/ntk/kernel_similarity.h"

namespace robustlab {

double kernel_similarity(const at::Tensor& k1, const at::Tensor& k2) {
  TORCH_CHECK(k1.sizes() == k2.sizes(), "kernel similarity: shapes differ, ", k1.sizes(), " and ", k2.sizes());
  torch::NoGradGuard no_grad;
  const at::Tensor a = k1.to(torch::kFloat64).reshape({-1}), b = k2.to(torch::kFloat64).reshape({-1});
  return (a.dot(b) / torch::sqrt(a.dot(a) * b.dot(b))).item<double>();
}

}  // namespace robustlab
