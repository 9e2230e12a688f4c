#include "probes/spatial_frequency.h"

namespace robustlab {

at::Tensor high_frequency_share(const at::Tensor& images, double cutoff) {
  TORCH_CHECK(images.dim() == 4, "high_frequency_share: images must be [m, C, H, W], got ", images.sizes());
  const at::Tensor power = torch::fft::fft2(images.detach().cpu().to(torch::kFloat64)).abs().square();
  const at::Tensor fy = torch::fft::fftfreq(images.size(2), torch::kFloat64).unsqueeze(1);
  const at::Tensor fx = torch::fft::fftfreq(images.size(3), torch::kFloat64).unsqueeze(0);
  const at::Tensor high = ((fy.square() + fx.square()).sqrt() > cutoff).to(torch::kFloat64);
  return (power * high).sum({1, 2, 3}) / power.sum({1, 2, 3}).clamp_min(1e-300);
}

}  // namespace robustlab
