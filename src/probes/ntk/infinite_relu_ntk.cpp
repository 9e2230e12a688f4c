#include "probes/ntk/infinite_relu_ntk.h"

namespace robustlab {
namespace {

// arccos ρ with the exact value and the derivative of arccos(clamp(ρ, −1 + 1e-7, 1 − 1e-7)), finite
// everywhere (zero where |ρ| ≥ 1 − 1e-7).
at::Tensor safe_arccos(const at::Tensor& rho) {
  const at::Tensor smooth = torch::acos(rho.clamp(-1 + 1e-7, 1 - 1e-7));
  const at::Tensor exact = torch::acos(rho.detach().clamp(-1, 1));
  return smooth + (exact - smooth.detach());
}

struct ReluExpectations {
  at::Tensor relu;        // E[ReLU(u) ReLU(v)]
  at::Tensor derivative;  // E[ReLU'(u) ReLU'(v)]
};

// The arc-cosine kernels of degree 1 and 0 of the Gaussian pair with covariances sigma12 and
// variances sigma11 (per row) and sigma22 (per column).
ReluExpectations relu_expectations(const at::Tensor& sigma12, const at::Tensor& sigma11, const at::Tensor& sigma22) {
  const at::Tensor norms = torch::sqrt(sigma11.unsqueeze(1) * sigma22.unsqueeze(0));
  const at::Tensor theta = safe_arccos(sigma12 / norms);
  const at::Tensor remaining = M_PI - theta;
  return {norms * (torch::sin(theta) + remaining * torch::cos(theta)) / (2 * M_PI), remaining / (2 * M_PI)};
}

}  // namespace

at::Tensor infinite_relu_ntk(const at::Tensor& x1, const at::Tensor& x2, const ReluNtkOptions& o) {
  TORCH_CHECK(o.hidden_layers >= 0, "infinite NTK: hidden_layers must be >= 0");
  const at::Tensor a = x1.flatten(1), b = x2.flatten(1);
  const double d = static_cast<double>(a.size(1));
  const double w2 = o.weight_std * o.weight_std, b2 = o.bias_std * o.bias_std;
  // Σ¹ between the two sets and on each set's diagonal (Σ¹(x, x) for the variances).
  at::Tensor sigma = a.matmul(b.t()) * (w2 / d) + b2;
  at::Tensor sigma11 = a.pow(2).sum(1) * (w2 / d) + b2;
  at::Tensor sigma22 = b.pow(2).sum(1) * (w2 / d) + b2;
  at::Tensor theta = sigma;
  for (int l = 0; l < o.hidden_layers; ++l) {
    const ReluExpectations cross = relu_expectations(sigma, sigma11, sigma22);
    // On the diagonal θ = 0: E[ReLU(u)²] = Σ(x, x)/2.
    sigma11 = sigma11 * (w2 / 2) + b2;
    sigma22 = sigma22 * (w2 / 2) + b2;
    sigma = cross.relu * w2 + b2;
    theta = theta * (cross.derivative * w2) + sigma;
  }
  return theta;
}

}  // namespace robustlab
