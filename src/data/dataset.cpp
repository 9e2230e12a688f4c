#include "data/dataset.h"

namespace robustlab {

Dataset Dataset::to(const c10::Device& device) const {
  Dataset out = *this;
  out.inputs = inputs.to(device);
  out.labels = labels.to(device);
  if (fine_labels.defined()) out.fine_labels = fine_labels.to(device);
  return out;
}

}  // namespace robustlab
