#include "probes/ntk/kernel_predictor.h"

namespace robustlab {
namespace {

// Θ(X, X) + λI, checked square.
at::Tensor regularised(const at::Tensor& train_kernel, double ridge) {
  TORCH_CHECK(train_kernel.dim() == 2 && train_kernel.size(0) == train_kernel.size(1),
              "kernel regression: the training kernel must be [n, n], got ", train_kernel.sizes());
  TORCH_CHECK(ridge >= 0, "kernel regression: ridge must be >= 0");
  if (ridge == 0) return train_kernel;
  return train_kernel + ridge * torch::eye(train_kernel.size(0), train_kernel.options());
}

// Labels as columns [n, k].
at::Tensor as_columns(const at::Tensor& labels) { return labels.dim() == 1 ? labels.unsqueeze(1) : labels; }

}  // namespace

at::Tensor kernel_regression_weights(const at::Tensor& train_kernel, const at::Tensor& labels,
                                     const KernelRegressionOptions& o) {
  const at::Tensor k = regularised(train_kernel, o.ridge);
  const at::Tensor y = as_columns(labels).to(k.scalar_type());
  at::Tensor alpha;
  if (!o.time) {
    // K = L Lᵀ, α = K⁻¹ Y by two triangular solves.
    const auto [factor, info] = torch::linalg_cholesky_ex(k);
    TORCH_CHECK(info.item<int64_t>() == 0,
                "kernel regression: the training kernel is not positive definite (use a ridge)");
    alpha = torch::cholesky_solve(y, factor);
  } else {
    TORCH_CHECK(*o.time >= 0, "kernel regression: time must be >= 0");
    // K = V diag(μ) Vᵀ; K⁻¹(I − e^{−ηKt}) = V diag((1 − e^{−ημt})/μ) Vᵀ, whose factor tends to ηt as μ → 0.
    const auto [mu, v] = torch::linalg_eigh(k);
    const double rate_time = o.learning_rate * *o.time;
    const at::Tensor safe_mu = torch::where(mu.abs() > 1e-300, mu, torch::ones_like(mu));
    const at::Tensor factor = torch::where(mu.abs() > 1e-300, -torch::expm1(-rate_time * mu) / safe_mu,
                                           torch::full_like(mu, rate_time));
    alpha = v.matmul(factor.unsqueeze(1) * v.t().matmul(y));
  }
  return labels.dim() == 1 ? alpha.squeeze(1) : alpha;
}

at::Tensor kernel_predict(const at::Tensor& test_train_kernel, const at::Tensor& train_kernel, const at::Tensor& labels,
                          const KernelRegressionOptions& options) {
  return test_train_kernel.matmul(kernel_regression_weights(train_kernel, labels, options));
}

EigenFeatures eigen_features(const at::Tensor& train_kernel, const at::Tensor& labels) {
  const at::Tensor k = regularised(train_kernel, 0);
  const auto [ascending, vectors] = torch::linalg_eigh(k);
  const at::Tensor lambda = ascending.flip(0), v = vectors.flip(1);  // largest first
  const at::Tensor y = as_columns(labels).to(k.scalar_type());
  // w_i = v_i (v_iᵀ Y) / λ_i: [n, features, k].
  const at::Tensor projections = v.t().matmul(y) / lambda.unsqueeze(1);  // [features, k]
  at::Tensor weights = v.unsqueeze(2) * projections.unsqueeze(0);
  if (labels.dim() == 1) weights = weights.squeeze(2);
  return {lambda, weights};
}

at::Tensor eigen_feature_values(const EigenFeatures& features, const at::Tensor& test_train_kernel) {
  if (features.weights.dim() == 2) return test_train_kernel.matmul(features.weights);
  return torch::einsum("mn,nik->mik", {test_train_kernel, features.weights});
}

std::function<at::Tensor(const at::Tensor&)> kernel_predictor(const TrainKernel& kernel, const at::Tensor& alpha) {
  return [kernel, alpha](const at::Tensor& x) { return kernel(x).matmul(alpha.to(x.scalar_type())); };
}

}  // namespace robustlab
