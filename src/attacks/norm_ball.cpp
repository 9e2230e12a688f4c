#include "attacks/norm_ball.h"

namespace robustlab {
torch::Tensor per_example(const torch::Tensor& values, const torch::Tensor& like) {
  std::vector<int64_t> shape(like.dim(), 1);
  shape[0] = like.size(0);
  return values.view(shape);
}

torch::Tensor per_example_norm(const torch::Tensor& delta, Norm norm) {
  torch::Tensor flat = delta.flatten(1);
  return norm == Norm::Linf ? flat.abs().amax(1) : flat.norm(2, {1});
}

torch::Tensor steepest_ascent(const torch::Tensor& grad, Norm norm) {
  if (norm == Norm::Linf) return grad.sign();
  const torch::Tensor inverse_norm = per_example_norm(grad, Norm::L2).clamp_min(1e-12).reciprocal();
  return grad * per_example(inverse_norm, grad);
}

torch::Tensor project_to_ball_(torch::Tensor delta, double eps, Norm norm) {
  if (norm == Norm::Linf) return delta.clamp_(-eps, eps);
  const torch::Tensor n = per_example_norm(delta, Norm::L2);
  const torch::Tensor scale = (eps / n.clamp_min(1e-12)).clamp_max(1.0);
  return delta.mul_(per_example(scale, delta));  // δ is a temporary in every caller
}

torch::Tensor random_perturbation(const torch::Tensor& like, double eps, Norm norm,
                                  RandomStart start, at::Generator& gen) {
  const auto cpu = torch::TensorOptions().dtype(like.dtype()).device(torch::kCPU);
  torch::Tensor delta;
  if (start == RandomStart::None) return torch::zeros_like(like);
  if (start == RandomStart::Jitter) {
    delta = 0.001 * torch::randn(like.sizes(), gen, cpu);  // TRADES's start, whatever ε
  } else if (norm == Norm::Linf) {
    torch::Tensor u = torch::rand(like.sizes(), gen, cpu) * 2 - 1;
    delta = start == RandomStart::Sphere ? eps * u.sign() : eps * u;
  } else {
    // A Gaussian direction is uniform on the sphere; radius ε·U^{1/D} makes the point uniform
    // in the D-dimensional ball (the volume within radius r grows as r^D).
    torch::Tensor g = torch::randn(like.sizes(), gen, cpu);
    torch::Tensor direction = g / per_example(per_example_norm(g, Norm::L2), g);
    torch::Tensor radius = torch::full({like.size(0)}, eps, cpu);
    if (start == RandomStart::Ball) {
      const double dim = static_cast<double>(like[0].numel());
      radius = radius * torch::rand({like.size(0)}, gen, cpu).pow(1.0 / dim);
    }
    delta = direction * per_example(radius, direction);
  }
  return delta.to(like.device());
}

torch::Tensor clamp_to_box(const torch::Tensor& x_adv, const std::optional<Box>& box) {
  return box ? x_adv.clamp(box->lo, box->hi) : x_adv;
}

torch::Tensor project_to_ball_and_box(const torch::Tensor& x, const torch::Tensor& point, double eps, Norm norm,
                                      const std::optional<Box>& box) {
  return clamp_to_box(x + project_to_ball_(point - x, eps, norm), box);
}

}  // namespace robustlab
