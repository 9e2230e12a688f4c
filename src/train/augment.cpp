#include "train/augment.h"

namespace robustlab {

at::Tensor random_crop_flip(const at::Tensor& x, int64_t padding, at::Generator& gen) {
  const int64_t n = x.size(0), h = x.size(2), w = x.size(3);
  const torch::Tensor padded = torch::constant_pad_nd(x, {padding, padding, padding, padding}, 0.0);
  // Offsets and flips are drawn on CPU, so CPU and CUDA runs augment identically.
  const torch::Tensor top = torch::randint(0, 2 * padding + 1, {n}, gen, torch::kInt64);
  const torch::Tensor left = torch::randint(0, 2 * padding + 1, {n}, gen, torch::kInt64);
  const torch::Tensor flip = torch::rand({n}, gen) < 0.5;
  std::vector<torch::Tensor> crops;
  crops.reserve(n);
  const auto* t = top.data_ptr<int64_t>();
  const auto* l = left.data_ptr<int64_t>();
  const auto* f = flip.data_ptr<bool>();
  for (int64_t i = 0; i < n; ++i) {
    torch::Tensor crop = padded[i].slice(1, t[i], t[i] + h).slice(2, l[i], l[i] + w);
    crops.push_back(f[i] ? crop.flip({2}) : crop);
  }
  return torch::stack(crops);
}

}  // namespace robustlab
