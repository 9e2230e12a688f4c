#include "models/classification.h"

namespace robustlab {

torch::Tensor per_example_loss(const torch::Tensor& outputs, const torch::Tensor& labels) {
  if (outputs.dim() == 1) return torch::softplus(-labels.to(outputs.dtype()) * outputs);
  return torch::nn::functional::cross_entropy(
      outputs, labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
}

torch::Tensor is_correct(const torch::Tensor& outputs, const torch::Tensor& labels) {
  if (outputs.dim() == 1) return labels.to(outputs.dtype()) * outputs > 0;
  return outputs.argmax(1) == labels;
}

}  // namespace robustlab
