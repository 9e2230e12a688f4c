// Kernel regression with a (neural tangent) kernel: the function gradient flow on the squared loss
// reaches in the NTK regime. With K = Θ(X, X) + λI on the training set X, labels Y [n] or [n, k]:
//     ridgeless / ridge (t = ∞):   f(x) = Θ(x, X) K⁻¹ Y,
//     training time t, rate η:     f_t(x) = Θ(x, X) K⁻¹ (I − e^{−η K t}) Y    (f_0 = 0),
// so f(x) = Θ(x, X) α with dual weights α [n] or [n, k]. α is solved with a Cholesky of K (t = ∞)
// or from the eigendecomposition K = V diag(μ) Vᵀ (finite t: α = V diag((1 − e^{−ημt})/μ) Vᵀ Y),
// never with an explicit inverse. Θ(x, X) may depend on x differentiably (attacks through the
// predictor): the prediction is a matrix product with α.
#pragma once
#include <ATen/core/Tensor.h>
#include <functional>
#include <optional>

namespace robustlab {

struct KernelRegressionOptions {
  double ridge = 0.0;                 // λ ≥ 0; 0: ridgeless (Θ(X, X) must be positive definite)
  std::optional<double> time;         // t; none: trained to convergence (t = ∞)
  double learning_rate = 1.0;         // η, with time
};

// α from the training kernel Θ(X, X) [n, n] and the labels.
at::Tensor kernel_regression_weights(const at::Tensor& train_kernel, const at::Tensor& labels,
                                     const KernelRegressionOptions& options = {});

// f(x) = Θ(x, X) α for test_train_kernel Θ(x, X) [m, n]: [m] or [m, k].
at::Tensor kernel_predict(const at::Tensor& test_train_kernel, const at::Tensor& train_kernel,
                          const at::Tensor& labels, const KernelRegressionOptions& options = {});

// The predictor split along the eigenvectors of Θ(X, X) = Σ_i λ_i v_i v_iᵀ (ridgeless, t = ∞):
//     f_i(x) = λ_i⁻¹ Θ(x, X) v_i v_iᵀ Y = Θ(x, X) w_i,   Σ_i f_i = f.
struct EigenFeatures {
  at::Tensor eigenvalues;  // λ_i [n], largest first
  at::Tensor weights;      // [n, n] (column i is w_i) for labels [n]; [n, n, k] for labels [n, k]
};
EigenFeatures eigen_features(const at::Tensor& train_kernel, const at::Tensor& labels);

// f_i(x) for every feature i: [m, n] for labels [n], [m, n, k] for labels [n, k].
at::Tensor eigen_feature_values(const EigenFeatures& features, const at::Tensor& test_train_kernel);

// Θ(·, X): the kernel between some inputs [m, ...] and the fixed training set, [m, n],
// differentiable in the inputs.
using TrainKernel = std::function<at::Tensor(const at::Tensor& x)>;

// The predictor x ↦ Θ(x, X) α as a function of the inputs (a model attacks can run through), α
// cast to the inputs' precision.
std::function<at::Tensor(const at::Tensor&)> kernel_predictor(const TrainKernel& kernel, const at::Tensor& alpha);

}  // namespace robustlab
