// The polynomial kernel K(x, x') = (c + ⟨x, x'⟩)^p: kernel regression with it is a polynomial
// model of degree p in x (for p = 2, a quadratic form plus a linear term). Built from torch ops,
// so a predictor K(x, X) α is differentiable in x and can be attacked.
#pragma once
#include <ATen/core/Tensor.h>

namespace robustlab {

// x1 [n1, d], x2 [n2, d] -> [n1, n2].
at::Tensor polynomial_kernel(const at::Tensor& x1, const at::Tensor& x2, double degree, double offset);

}  // namespace robustlab
