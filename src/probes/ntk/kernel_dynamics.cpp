#include "probes/ntk/kernel_dynamics.h"

#include <algorithm>
#include <cmath>

#include "probes/ntk/kernel_similarity.h"

namespace robustlab {
namespace {

// K = K^top + K^bottom along K's own eigenvectors, and the top-k spectral mass.
struct SpectralSplit {
  at::Tensor top, bottom;
  double top_mass = 0;
};

SpectralSplit split_spectrum(const at::Tensor& kernel, int64_t k) {
  const at::Tensor symmetric = (kernel + kernel.t()).to(torch::kFloat64) / 2;
  const auto [eigenvalues, eigenvectors] = torch::linalg_eigh(symmetric);  // ascending
  const int64_t n = eigenvalues.size(0);
  const at::Tensor lambda = eigenvalues.slice(0, n - k);
  const at::Tensor v = eigenvectors.slice(1, n - k);
  SpectralSplit s;
  s.top = (v * lambda).matmul(v.t());  // Σ_{i≤k} λ_i v_i v_iᵀ
  s.bottom = symmetric - s.top;
  s.top_mass = (lambda.square().sum() / eigenvalues.square().sum()).item<double>();
  return s;
}

// ‖K_t − K_0‖ / ‖K_T − K_0‖ and arccos S(K_t, K_0) (0 and 0 when nothing moved).
PolarCoordinates polar(const at::Tensor& k_t, const at::Tensor& k_0, const at::Tensor& k_final) {
  const double total = (k_final - k_0).norm().item<double>();
  const double s = std::clamp(kernel_similarity(k_t, k_0), -1.0, 1.0);
  return {total > 0 ? (k_t - k_0).norm().item<double>() / total : 0.0, std::acos(s)};
}

}  // namespace

std::vector<KernelEpoch> kernel_dynamics(const std::vector<at::Tensor>& kernels, int64_t top_k) {
  TORCH_CHECK(kernels.size() >= 2, "kernel dynamics: need the kernels of at least two epochs");
  TORCH_CHECK(top_k >= 1 && top_k < kernels[0].size(0), "kernel dynamics: top_k must be in [1, n)");
  torch::NoGradGuard no_grad;
  std::vector<SpectralSplit> splits;
  for (const auto& k : kernels) splits.push_back(split_spectrum(k, top_k));
  const at::Tensor& first = kernels.front();
  const at::Tensor& final = kernels.back();
  std::vector<KernelEpoch> rows;
  for (size_t t = 0; t < kernels.size(); ++t) {
    KernelEpoch r;
    r.epoch = static_cast<int64_t>(t);
    r.similarity_to_first = kernel_similarity(kernels[t], first);
    r.similarity_to_final = kernel_similarity(kernels[t], final);
    r.velocity = t == 0 ? 0.0 : 1.0 - kernel_similarity(kernels[t], kernels[t - 1]);
    r.full = polar(kernels[t].to(torch::kFloat64), first.to(torch::kFloat64), final.to(torch::kFloat64));
    r.top = polar(splits[t].top, splits.front().top, splits.back().top);
    r.bottom = polar(splits[t].bottom, splits.front().bottom, splits.back().bottom);
    r.top_mass = splits[t].top_mass;
    rows.push_back(r);
  }
  return rows;
}

at::Tensor kernel_similarity_matrix(const std::vector<at::Tensor>& kernels) {
  const int64_t n = static_cast<int64_t>(kernels.size());
  at::Tensor s = torch::ones({n, n}, torch::kFloat64);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < i; ++j) {
      const double v = kernel_similarity(kernels[static_cast<size_t>(i)], kernels[static_cast<size_t>(j)]);
      s[i][j] = v;
      s[j][i] = v;
    }
  return s;
}

std::vector<KernelEpoch> late_epochs(const std::vector<KernelEpoch>& dynamics) {
  std::vector<KernelEpoch> out;
  if (dynamics.empty()) return out;
  const int64_t from = dynamics.back().epoch / 2 + 1;
  for (const KernelEpoch& e : dynamics)
    if (e.epoch >= from) out.push_back(e);
  return out;
}

int64_t settling_epoch(const std::vector<KernelEpoch>& dynamics, double threshold, int64_t window) {
  window = std::max<int64_t>(window, 1);
  int64_t settled = dynamics.empty() ? 0 : dynamics.back().epoch + 1;
  for (size_t t = dynamics.size(); t-- > 0 && dynamics[t].epoch > 0;) {
    // Mean velocity over the rows t − window + 1 .. t that are past initialisation.
    double sum = 0;
    int64_t count = 0;
    for (size_t s = t + 1; s-- > 0 && count < window && dynamics[s].epoch > 0; ++count) sum += dynamics[s].velocity;
    if (sum / static_cast<double>(count) >= threshold) break;
    settled = dynamics[t].epoch;
  }
  return settled;
}

}  // namespace robustlab
