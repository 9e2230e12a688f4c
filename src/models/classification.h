// The loss and the correctness test every model is trained, attacked and measured with. The shape
// of a model's output says which task it solves (see data/dataset.h):
//   [n]    a binary score f(x), labels y ∈ {−1, +1}: logistic loss log(1 + e^{−y f(x)}),
//          correct when y f(x) > 0;
//   [n, C] logits z(x), labels c:   cross-entropy −z_c + log Σ_j e^{z_j}, correct when argmax = c.
#pragma once
#include <ATen/core/Tensor.h>

namespace robustlab {

at::Tensor per_example_loss(const at::Tensor& outputs, const at::Tensor& labels);  // [n]
at::Tensor is_correct(const at::Tensor& outputs, const at::Tensor& labels);        // [n] bool

}  // namespace robustlab
