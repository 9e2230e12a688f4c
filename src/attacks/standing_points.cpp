#include "attacks/standing_points.h"

#include "models/classification.h"

namespace robustlab {

StandingPoints::StandingPoints(const Forward& forward, const torch::Tensor& x, const torch::Tensor& y)
    : forward_(forward), y_(y), x_adv_(x.detach().clone()) {
  torch::NoGradGuard no_grad;
  standing_ = is_correct(forward_(x_adv_), y_);
}

torch::Tensor StandingPoints::rows() const { return standing_.nonzero().flatten(); }

bool StandingPoints::any_standing() const { return standing_.any().item<bool>(); }

void StandingPoints::offer(const torch::Tensor& rows, const torch::Tensor& candidates) {
  if (rows.numel() == 0) return;
  torch::NoGradGuard no_grad;
  const torch::Tensor fooled = is_correct(forward_(candidates), y_.index_select(0, rows)).logical_not();
  const torch::Tensor picked = fooled.nonzero().flatten();
  if (picked.numel() == 0) return;
  const torch::Tensor fooled_rows = rows.index_select(0, picked);
  x_adv_.index_copy_(0, fooled_rows, candidates.detach().index_select(0, picked));
  standing_.index_fill_(0, fooled_rows, false);
}

void StandingPoints::offer_unfooled(const torch::Tensor& rows, const torch::Tensor& candidates) {
  if (rows.numel() == 0) return;
  x_adv_.index_copy_(0, rows, candidates.detach());
  offer(rows, candidates);
}

}  // namespace robustlab
