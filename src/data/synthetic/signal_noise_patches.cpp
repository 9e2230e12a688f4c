#include "data/synthetic/signal_noise_patches.h"

namespace robustlab {
namespace {

Dataset sample(const SignalNoisePatchesOptions& o, int64_t n, const at::Tensor& w, at::Tensor& position,
               at::Generator& gen) {
  Dataset data;
  data.labels = torch::randint(0, 2, {n}, gen, torch::kInt64) * 2 - 1;
  at::Tensor noise = torch::randn({n, o.patches, o.d}, gen, torch::kFloat64) * o.noise_std;
  noise = noise - noise.matmul(w).unsqueeze(2) * w;  // (I − w* w*ᵀ) ξ
  position = torch::randint(0, o.patches, {n}, gen, torch::kInt64);
  const at::Tensor rows = torch::arange(n, torch::kInt64);
  noise.index_put_({rows, position}, o.signal_strength * data.labels.to(torch::kFloat64).unsqueeze(1) * w);
  data.inputs = noise.to(torch::kFloat32);
  data.fine_labels = data.labels;
  return data;
}

}  // namespace

SignalNoisePatches make_signal_noise_patches(const SignalNoisePatchesOptions& o, at::Generator& gen) {
  SignalNoisePatches out;
  const at::Tensor g = torch::randn({o.d}, gen, torch::kFloat64);
  const at::Tensor w = g / g.norm();
  out.signal = w.to(torch::kFloat32);
  at::Tensor unused;
  out.train = sample(o, o.train_size, w, out.train_signal_patch, gen);
  out.test = sample(o, o.test_size, w, unused, gen);
  return out;
}

}  // namespace robustlab
