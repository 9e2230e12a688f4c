#include "probes/loss_landscape.h"

#include "attacks/norm_ball.h"

namespace robustlab {
namespace {

// ‖g‖ in the dual of the ball's norm, per example: the most the loss can change per unit of δ.
at::Tensor dual_norm(const at::Tensor& g, Norm norm) {
  const at::Tensor flat = g.flatten(1);
  return norm == Norm::Linf ? flat.abs().sum(1) : flat.norm(2, {1});
}

// PGD ascent on a per-example objective of x', from x; returns each example's largest value seen.
template <typename Objective>
at::Tensor ascend(const Victim& victim, const at::Tensor& x, double radius, const LandscapeOptions& o,
                  Objective objective) {
  torch::AutoGradMode enable(true);
  at::Tensor delta = torch::zeros_like(x);
  at::Tensor best;
  for (int t = 0; t <= o.steps; ++t) {
    const at::Tensor point = clamp_to_box(x + delta, victim.box).detach().requires_grad_(true);
    const at::Tensor value = objective(point);
    best = best.defined() ? torch::maximum(best, value.detach()) : value.detach();
    if (t == o.steps || radius == 0) break;
    const at::Tensor grad = torch::autograd::grad({value.sum()}, {point})[0];
    delta = project_to_ball_(torch::add(point.detach() - x, steepest_ascent(grad, o.norm), o.alpha_per_eps * radius),
                             radius, o.norm);
  }
  return best;
}

}  // namespace

Landscape loss_landscape(const Victim& victim, const at::Tensor& x, const at::Tensor& y, double radius,
                         const LandscapeOptions& o) {
  at::Tensor clean_loss;
  {
    torch::NoGradGuard no_grad;
    clean_loss = victim.loss(victim.forward(x), y);
  }
  const at::Tensor gradient_norm = ascend(victim, x, radius, o, [&](const at::Tensor& point) {
    // ∇_x L kept in the graph, so that its norm can be ascended in turn.
    const at::Tensor g = torch::autograd::grad({victim.loss(victim.forward(point), y).sum()}, {point}, {},
                                               /*retain_graph=*/true, /*create_graph=*/true)[0];
    return dual_norm(g, o.norm);
  });
  const at::Tensor loss_increase = ascend(victim, x, radius, o, [&](const at::Tensor& point) {
    return victim.loss(victim.forward(point), y) - clean_loss;
  });
  return {radius, gradient_norm.to(torch::kFloat64).mean().item<double>(),
          loss_increase.to(torch::kFloat64).mean().item<double>()};
}

}  // namespace robustlab
