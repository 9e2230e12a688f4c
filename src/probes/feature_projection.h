// How far each class's filters have grown along a ground-truth feature: for class c with filters
// w_{c,1..m} and feature f_c, the theory's coefficient max_r ⟨w_{c,r}, f_c⟩ / ‖f_c‖ (Li & Li).
#pragma once
#include <ATen/core/Tensor.h>

namespace robustlab {

// weight [C, m, d], features [C, d] -> [C] float64, on the weight's device (so a caller can keep
// per-step readings there; features already on that device are not copied).
at::Tensor feature_coefficients(const at::Tensor& weight, const at::Tensor& features);

}  // namespace robustlab
