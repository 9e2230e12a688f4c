#include "probes/purification.h"

namespace robustlab {

Purification purification(const at::Tensor& clean, const at::Tensor& adversarial) {
  const at::Tensor w = clean.detach().to(torch::kFloat64), w_adv = adversarial.detach().to(torch::kFloat64);
  Purification p;
  p.beta = (w * w_adv).sum(1) / (w_adv * w_adv).sum(1);
  const at::Tensor kept = p.beta.unsqueeze(1) * w_adv;
  p.ratio = (w - kept).norm(2, {1}) / kept.norm(2, {1});
  return p;
}

at::Tensor row_cosines(const at::Tensor& a, const at::Tensor& b) {
  const at::Tensor x = a.detach().to(torch::kFloat64), y = b.detach().to(torch::kFloat64);
  return (x * y).sum(1) / (x.norm(2, {1}) * y.norm(2, {1})).clamp_min(1e-300);
}

at::Tensor dense_mixture_mass(const at::Tensor& weights, const at::Tensor& atoms, int64_t top) {
  const at::Tensor energy = weights.detach().to(torch::kFloat64).matmul(atoms.to(torch::kFloat64).t()).square();
  const int64_t k = std::min<int64_t>(top, energy.size(1));
  const at::Tensor largest = std::get<0>(energy.topk(k, 1)).sum(1);
  const at::Tensor total = energy.sum(1).clamp_min(1e-300);
  return (total - largest) / total;
}

double top_singular_share(const at::Tensor& delta, int64_t k) {
  const at::Tensor s = torch::linalg_svdvals(delta.detach().to(torch::kFloat64)).square();
  const int64_t top = std::min<int64_t>(k, s.numel());
  return (s.slice(0, 0, top).sum() / s.sum().clamp_min(1e-300)).item<double>();
}

}  // namespace robustlab
