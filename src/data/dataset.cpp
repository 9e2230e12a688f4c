#include "data/dataset.h"

#include <algorithm>

namespace robustlab {

Dataset Dataset::to(const c10::Device& device) const {
  Dataset out = *this;
  out.inputs = inputs.to(device);
  out.labels = labels.to(device);
  if (fine_labels.defined()) out.fine_labels = fine_labels.to(device);
  return out;
}

Dataset Dataset::first(int64_t n) const {
  const int64_t k = std::min(n, size());
  Dataset out = *this;
  out.inputs = inputs.narrow(0, 0, k);
  out.labels = labels.narrow(0, 0, k);
  if (fine_labels.defined()) out.fine_labels = fine_labels.narrow(0, 0, k);
  return out;
}

}  // namespace robustlab
