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

// How far each example is from the decision boundary in output space, positive iff correct:
// y·f(x) for a binary score, z_c − max_{j≠c} z_j for logits. Score-based attacks minimise it.
at::Tensor classification_margin(const at::Tensor& outputs, const at::Tensor& labels);  // [n]

// Classes the outputs distinguish: 2 for a binary score, C for [n, C] logits.
int64_t class_count(const at::Tensor& outputs);

}  // namespace robustlab
