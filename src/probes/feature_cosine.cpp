#include "probes/feature_cosine.h"

namespace robustlab {

torch::Tensor feature_cosines(const torch::Tensor& weights, const torch::Tensor& features) {
  torch::NoGradGuard no_grad;
  const torch::Tensor w = weights.detach().to(torch::kCPU, torch::kFloat64).flatten(1);
  const torch::Tensor f = features.detach().to(torch::kCPU, torch::kFloat64).flatten(1);
  const torch::Tensor w_unit = w / w.norm(2, {1}, true).clamp_min(1e-300);
  const torch::Tensor f_unit = f / f.norm(2, {1}, true).clamp_min(1e-300);
  return w_unit.matmul(f_unit.t());
}

}  // namespace robustlab
