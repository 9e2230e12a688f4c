#include "probes/ntk/eigen_feature_robustness.h"

#include "attacks/norm_ball.h"

namespace robustlab {
namespace {

// Mean of sign(values) == y, values [m, features] or [m]: per feature.
at::Tensor agreement(const at::Tensor& values, const at::Tensor& y) {
  const at::Tensor signs = y.to(values.scalar_type());
  return ((values.dim() == 2 ? values * signs.unsqueeze(1) : values * signs) > 0).to(torch::kFloat64).mean(0);
}

}  // namespace

EigenFeatureProfile eigen_feature_profile(const TrainKernel& kernel, const EigenFeatures& features, const Dataset& test,
                                          double eps, int64_t count) {
  TORCH_CHECK(features.weights.dim() == 2, "eigen-feature robustness: binary labels only");
  count = std::min(count, features.weights.size(1));
  EigenFeatureProfile profile;
  at::Tensor x = test.inputs.detach().clone().requires_grad_(true);
  torch::AutoGradMode enable_grad(true);
  const at::Tensor k = kernel(x);  // Θ(x, X), one graph for every feature's gradient
  const at::Tensor w = features.weights.to(k.scalar_type());
  profile.usefulness = agreement(k.detach().matmul(w), test.labels);
  std::vector<at::Tensor> robust;
  const at::Tensor y = test.labels.to(w.scalar_type());
  for (int64_t i = 0; i < count; ++i) {
    // ∂/∂x of Σ_m y_m f_i(x_m) = Σ_m y_m Σ_j Θ(x_m, X_j) w_ji: each example's own gradient times y.
    const at::Tensor grad_k = y.unsqueeze(1) * w.select(1, i).unsqueeze(0);
    const at::Tensor ascent = torch::autograd::grad({k}, {x}, {grad_k}, /*retain_graph=*/true)[0];
    torch::NoGradGuard no_grad;
    const at::Tensor moved = clamp_to_box(x.detach() - eps * steepest_ascent(ascent, Norm::Linf), test.box);  // against y f_i
    robust.push_back(agreement(kernel(moved).matmul(w.select(1, i)), test.labels));
  }
  profile.robustness = robust.empty() ? torch::zeros({0}, torch::kFloat64) : torch::stack(robust);
  return profile;
}

at::Tensor eigen_feature_gradient(const TrainKernel& kernel, const EigenFeatures& features, int64_t i,
                                  const at::Tensor& x) {
  torch::AutoGradMode enable_grad(true);
  at::Tensor input = x.detach().clone().requires_grad_(true);
  const at::Tensor k = kernel(input);
  const at::Tensor value = k.matmul(features.weights.select(1, i).to(k.scalar_type())).sum();
  return torch::autograd::grad({value}, {input})[0];
}

}  // namespace robustlab
