// Reading a C-class classifier as a binary one, by comparing the probability mass of the classes
// merged into +1 (J+) with that of the rest (J−):
//     g(x) = log P(J+ | x) − log P(J− | x) = logsumexp_{j∈J+} z_j(x) − logsumexp_{j∈J−} z_j(x).
// g > 0 exactly when the softmax puts more mass on J+; the feature-averaging paper's readout.
#pragma once
#include <ATen/core/Tensor.h>

namespace robustlab {

// logits [n, C], positive [C] bool (true for j ∈ J+) -> [n]
at::Tensor binary_readout(const at::Tensor& logits, const at::Tensor& positive);

}  // namespace robustlab
