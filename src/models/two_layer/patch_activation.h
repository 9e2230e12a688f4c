// The activations of the patch-structured theory (Li & Li), applied element-wise:
//   smoothed ReLU   σ(z) = 0                      for z ≤ 0,
//                          z^q / (q ρ^{q−1})      for 0 ≤ z ≤ ρ,
//                          z − (1 − 1/q) ρ        for z ≥ ρ,
//     which grows like z^q near 0 (small weights learn a feature at a rate ∝ its strength^q) and
//     is linear beyond ρ; both pieces and their slopes meet at ρ (value ρ/q, slope 1);
//   ReLU^q          σ(z) = max(z, 0)^q.
#pragma once
#include <ATen/core/Tensor.h>
#include <string>
#include <vector>

namespace robustlab {

at::Tensor smoothed_relu(const at::Tensor& z, double q, double rho);
at::Tensor relu_power(const at::Tensor& z, double q);

const std::vector<std::string>& patch_activations();  // "smoothed-relu", "relu-power"

}  // namespace robustlab
