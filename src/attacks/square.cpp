// The Square attack, ℓ∞ (Andriushchenko, Croce, Flammarion, Hein 2020). It never looks at a
// gradient, only at the model's outputs, so gradient masking cannot stop it. It minimises the
// margin m(x) = z_y − max_{j≠y} z_j (y·f for a binary score) by random search on the corners of
// the ℓ∞ ball:
//   start:  δ_0 = vertical stripes, each column of each channel ±ε at random;
//   step:   pick a square window of side s at a random place; set δ to ±ε there (one sign per
//           channel), and keep the new δ only if it lowers the margin;
// until the example is misclassified or `queries` evaluations are spent. The window covers a
// fraction p of the image, p = 0.8 halved at 10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000
// queries out of 10000 (rescaled to the query budget). Flat inputs [n, D] are one row of pixels,
// with windows of p·D consecutive coordinates.
#include "attacks/square.h"

#include <cmath>

#include "attacks/norm_ball.h"
#include "attacks/standing_points.h"
#include "models/classification.h"

namespace robustlab {
namespace {

constexpr double kInitialFraction = 0.8;

// p at query i of a budget of `queries`.
double window_fraction(int i, int queries) {
  const int at = static_cast<int>(static_cast<double>(i) / queries * 10000);
  double p = kInitialFraction;
  for (int boundary : {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000})
    if (at > boundary) p /= 2;
  return p;
}

// Random integers in [0, high) drawn on CPU (like every random number in robustlab).
torch::Tensor random_ints(int64_t high, c10::IntArrayRef shape, at::Generator& gen, const torch::Device& device) {
  return torch::randint(high, shape, gen, torch::TensorOptions().dtype(torch::kInt64)).to(device);
}

// [m, 1, h, w] mask of a window of size sh × sw whose corner is at (top, left) per example.
torch::Tensor window_mask(const torch::Tensor& top, const torch::Tensor& left, int64_t sh, int64_t sw, int64_t h,
                          int64_t w) {
  const auto opts = top.options();
  const torch::Tensor r = torch::arange(h, opts).unsqueeze(0), c = torch::arange(w, opts).unsqueeze(0);
  const torch::Tensor rows = (r >= top.unsqueeze(1)) & (r < top.unsqueeze(1) + sh);
  const torch::Tensor cols = (c >= left.unsqueeze(1)) & (c < left.unsqueeze(1) + sw);
  return (rows.unsqueeze(2) & cols.unsqueeze(1)).unsqueeze(1);
}

// One run on images x [n, c, h, w]; returns the best point found per example.
torch::Tensor square_run(const Forward& forward4, const std::optional<Box>& box, const torch::Tensor& x,
                         const torch::Tensor& y, double eps, int queries, at::Generator& gen) {
  const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  auto signs = [&](c10::IntArrayRef shape) { return (random_ints(2, shape, gen, x.device()) * 2 - 1).to(x.dtype()); };
  torch::Tensor x_best = clamp_to_box(x + eps * signs({n, c, 1, w}), box);
  torch::Tensor margin = classification_margin(forward4(x_best), y);
  for (int i = 1; i < queries; ++i) {
    const torch::Tensor active = (margin > 0).nonzero().flatten();
    const int64_t m = active.numel();
    if (m == 0) break;
    const double p = window_fraction(i, queries);
    // Side of a window covering a fraction p of the h·w pixels (of the D coordinates when flat).
    const int64_t side = h > 1 ? std::clamp<int64_t>(std::llround(std::sqrt(p * h * w)), 1, h - 1) : 0;
    const int64_t sh = h > 1 ? side : 1, sw = h > 1 ? std::min(side, w) : std::clamp<int64_t>(std::llround(p * w), 1, w);
    const torch::Tensor top = random_ints(h - sh + 1, {m}, gen, x.device());
    const torch::Tensor left = random_ints(w - sw + 1, {m}, gen, x.device());
    const torch::Tensor window = window_mask(top, left, sh, sw, h, w);
    const torch::Tensor xa = x.index_select(0, active), xb = x_best.index_select(0, active);
    // Adding ±2ε in the window and clipping to [x − ε, x + ε] sets δ = ±ε there.
    torch::Tensor x_new = xb + window.to(x.dtype()) * (2 * eps) * signs({m, c, 1, 1});
    x_new = clamp_to_box(torch::min(torch::max(x_new, xa - eps), xa + eps), box);
    const torch::Tensor m_new = classification_margin(forward4(x_new), y.index_select(0, active));
    const torch::Tensor better = m_new < margin.index_select(0, active);
    const torch::Tensor keep = better.nonzero().flatten();
    if (keep.numel() == 0) continue;
    const torch::Tensor rows = active.index_select(0, keep);
    x_best.index_copy_(0, rows, x_new.index_select(0, keep));
    margin.index_copy_(0, rows, m_new.index_select(0, keep));
  }
  return x_best;
}

}  // namespace

torch::Tensor square(const Victim& victim, const torch::Tensor& x, const torch::Tensor& y, const AttackSpec& spec,
                     at::Generator& gen) {
  torch::NoGradGuard no_grad;  // scores only
  const torch::Tensor x4 = x.dim() == 4 ? x : x.reshape({x.size(0), 1, 1, -1});
  const Forward forward4 = [&victim, &x](const torch::Tensor& v) {
    std::vector<int64_t> shape = x.sizes().vec();
    shape[0] = v.size(0);
    return victim.forward(v.reshape(shape));
  };
  StandingPoints points(forward4, x4, y);
  for (int restart = 0; restart < spec.restarts && points.any_standing(); ++restart) {
    const torch::Tensor rows = points.rows();
    points.offer_unfooled(rows, square_run(forward4, victim.box, x4.index_select(0, rows), y.index_select(0, rows),
                                           spec.eps, spec.queries, gen));
  }
  return points.x_adv().reshape(x.sizes());
}

}  // namespace robustlab
