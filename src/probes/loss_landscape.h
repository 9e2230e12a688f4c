// How sharp a model's loss is around given points: within the ball of radius r around each point,
// the largest norm of the loss's input gradient and the largest increase of the loss, each found by
// PGD on that quantity itself (ascent on ‖∇_x L(x')‖, through a second derivative, and on L(x')).
// The gradient's norm is the dual of the ball's: ℓ1 for an ℓ∞ ball, ℓ2 for an ℓ2 ball, the rate at
// which the loss can change per unit of perturbation. A loss that is flat inside the training
// radius at the training points and sharp outside it, and sharper at test points, is the
// landscape of robust overfitting (Li & Li).
#pragma once
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include "attacks/attack.h"

namespace robustlab {

struct LandscapeOptions {
  Norm norm = Norm::Linf;
  int steps = 10;
  double alpha_per_eps = 0.25;
};

struct Landscape {
  double radius = 0;
  double max_gradient_norm = 0;   // mean over the points of each point's largest
  double max_loss_increase = 0;   // mean over the points of each point's largest L(x') − L(x)
};

// The victim's loss and box; from the points themselves and the ball's centre (no random start).
Landscape loss_landscape(const Victim& victim, const at::Tensor& x, const at::Tensor& y, double radius,
                         const LandscapeOptions& options);

}  // namespace robustlab
