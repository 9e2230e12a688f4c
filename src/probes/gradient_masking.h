// Signs that a robust-accuracy number is optimistic because the model hides its gradients
// (Athalye, Carlini, Wagner 2018; Carlini et al. 2019, "On evaluating adversarial robustness").
// Each returns one warning per finding; an empty list means no sign was found.
#pragma once
#include <ATen/core/Tensor.h>
#include <string>
#include <vector>

#include "attacks/attack.h"
#include "probes/robust_accuracy.h"

namespace robustlab {

// From the numbers alone, per model, norm and ε:
//   a one-step attack (FGSM, FGM) finds lower accuracy than an iterative one (PGD, APGD), which
//   starts from the same gradient and should only improve on it;
//   a black-box attack (Square) finds lower accuracy than every white-box attack: the gradients
//   point the wrong way, or nowhere.
// Differences within `tolerance` (a fraction of the examples) are not reported.
std::vector<Warning> curve_masking_warnings(const std::vector<RobustAccuracyPoint>& curve,
                                                double tolerance = 0.01);

// From the model, on up to `examples` test points:
//   zero gradients: the loss's input gradient is exactly 0 at more than 1% of the correctly
//   classified points (saturated softmax, quantisation, non-differentiable layers);
//   unbounded ε: PGD at an ε that lets it reach any input in the box (ℓ∞: the box's width; ℓ2:
//   width·√D; no box: 10× the largest ε of the curve) leaves more than 5% of the points correct.
std::vector<Warning> model_masking_warnings(const std::string& model, const Victim& victim,
                                                const at::Tensor& inputs, const at::Tensor& labels,
                                                const std::vector<RobustAccuracyPoint>& curve, uint64_t seed,
                                                int64_t examples = 500);

// Both of the above, for the models in `curve`; what every robustness evaluation reports.
std::vector<Warning> gradient_masking_warnings(const std::string& model, const Victim& victim,
                                                   const at::Tensor& inputs, const at::Tensor& labels,
                                                   const std::vector<RobustAccuracyPoint>& curve, uint64_t seed);

}  // namespace robustlab
