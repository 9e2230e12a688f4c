#pragma once
#include <ATen/core/Tensor.h>

namespace robustlab {

// cos(w_r, μ_j) = ⟨w_r, μ_j⟩ / (‖w_r‖ ‖μ_j‖) for every hidden unit r (rows of weights, [u, d])
// and every ground-truth feature j (rows of features, [k, d]): a [u, k] matrix. Feature
// averaging shows as a block pattern (≈ 1/√(k/2) with each own-class centre), feature
// separation as a diagonal (≈ 1 with one centre).
at::Tensor feature_cosines(const at::Tensor& weights, const at::Tensor& features);

}  // namespace robustlab
