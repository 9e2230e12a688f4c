// A labelled sample as the rest of robustlab sees it. Labels follow one convention everywhere:
// binary tasks have int64 labels in {-1, +1} (and models output one score per example);
// multi-class tasks have int64 class indices (and models output one logit per class).
#pragma once
#include <ATen/core/Tensor.h>
#include <optional>

namespace robustlab {

// The valid input range (images: [0, 1]); adversarial inputs are clamped into it.
struct Box {
  double lo = 0.0;
  double hi = 1.0;
};

struct Dataset {
  at::Tensor inputs;       // [n, ...] float32
  at::Tensor labels;       // [n] int64, the task's labels
  at::Tensor fine_labels;  // [n] int64, the cluster/class each coarse label came from (or undefined)
  std::optional<Box> box;  // none for synthetic data without a natural range

  int64_t size() const { return inputs.size(0); }
  Dataset to(const c10::Device& device) const;
  Dataset first(int64_t n) const;  // the first min(n, size()) examples (views, no copy)
};

}  // namespace robustlab
