// Attacks that run in rounds (restarts, one run per target class, the attacks of `auto`) only
// attack the examples no earlier round has fooled, and keep the first adversarial input found
// for each example: robust accuracy is the per-example worst case over the rounds.
#pragma once
#include <ATen/core/Tensor.h>

#include "attacks/attack.h"

namespace robustlab {

class StandingPoints {
 public:
  // Starts from x itself: an example is standing while the model classifies it correctly.
  StandingPoints(const Forward& forward, const at::Tensor& x, const at::Tensor& y);

  at::Tensor rows() const;  // indices of the examples still standing: [m] int64
  bool any_standing() const;

  // A later round's adversarial inputs for `rows`: those the model misclassifies are kept.
  void offer(const at::Tensor& rows, const at::Tensor& candidates);

  // The round's output for examples it did not fool replaces the stored input too (it is the
  // strongest point found for them so far, e.g. the highest loss), without marking them fooled.
  void offer_unfooled(const at::Tensor& rows, const at::Tensor& candidates);

  const at::Tensor& x_adv() const { return x_adv_; }

 private:
  Forward forward_;
  at::Tensor y_, x_adv_, standing_;
};

}  // namespace robustlab
