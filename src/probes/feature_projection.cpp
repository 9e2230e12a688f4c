#include "probes/feature_projection.h"

namespace robustlab {

at::Tensor feature_coefficients(const at::Tensor& weight, const at::Tensor& features) {
  torch::NoGradGuard no_grad;
  const at::Tensor w = weight.detach().to(torch::kFloat64);
  const at::Tensor f = features.detach().to(w.device(), torch::kFloat64);
  const at::Tensor unit = f / f.norm(2, {1}, true).clamp_min(1e-300);
  return (w * unit.unsqueeze(1)).sum(2).amax(1);  // ⟨w_{c,r}, f_c/‖f_c‖⟩, max over r
}

}  // namespace robustlab
