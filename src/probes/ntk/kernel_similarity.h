#pragma once
#include <ATen/core/Tensor.h>

namespace robustlab {

// The alignment of two kernels on the same points (Fort et al. 2020),
//     S(K1, K2) = Tr(K1 K2ᵀ) / √(Tr(K1 K1ᵀ) Tr(K2 K2ᵀ)) = ⟨K1, K2⟩_F / (‖K1‖_F ‖K2‖_F),
// 1 for kernels that differ by a positive scale. Any shape (the per-output [n, c, n, c] form too),
// the same for both; a double.
double kernel_similarity(const at::Tensor& k1, const at::Tensor& k2);

}  // namespace robustlab
