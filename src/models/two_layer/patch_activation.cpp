#include "models/two_layer/patch_activation.h"

namespace robustlab {

at::Tensor smoothed_relu(const at::Tensor& z, double q, double rho) {
  const at::Tensor positive = torch::relu(z);
  // The polynomial piece on [0, ρ] (with z clamped there, so the unused branch stays finite),
  // the linear piece beyond.
  const at::Tensor inside = positive.clamp_max(rho).pow(q) / (q * std::pow(rho, q - 1));
  return torch::where(positive > rho, positive - (1 - 1 / q) * rho, inside);
}

at::Tensor relu_power(const at::Tensor& z, double q) { return torch::relu(z).pow(q); }

const std::vector<std::string>& patch_activations() {
  static const std::vector<std::string> names = {"smoothed-relu", "relu-power"};
  return names;
}

}  // namespace robustlab
