// How useful and how robust each eigen-feature of a binary kernel predictor is (Tsilivis & Kempe
// 2022, section 4). With Θ(X, X) = Σ_i λ_i v_i v_iᵀ and f_i(x) = λ_i⁻¹ Θ(x, X) v_i v_iᵀ Y
// (kernel_predictor.h), on test points (x, y), y = ±1:
//     usefulness_i = P[sign f_i(x) = y]                       (the feature alone, clean)
//     robustness_i = P[sign f_i(x − ε y sign ∇ₓf_i(x)) = y]   (FGSM on f_i alone, clamped to the box)
// Robustness is measured for the first `count` features only (one backward pass and one kernel
// evaluation each); usefulness for all of them (one product).
#pragma once
#include <ATen/core/Tensor.h>

#include "data/dataset.h"
#include "probes/ntk/kernel_predictor.h"

namespace robustlab {

struct EigenFeatureProfile {
  at::Tensor usefulness;  // [n] float64, every feature
  at::Tensor robustness;  // [count] float64, features 0 .. count−1
};

EigenFeatureProfile eigen_feature_profile(const TrainKernel& kernel, const EigenFeatures& features, const Dataset& test,
                                          double eps, int64_t count);

// ∇ₓ f_i(x) for inputs x [m, ...]: [m, ...].
at::Tensor eigen_feature_gradient(const TrainKernel& kernel, const EigenFeatures& features, int64_t i,
                                  const at::Tensor& x);

}  // namespace robustlab
