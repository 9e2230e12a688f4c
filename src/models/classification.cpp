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

torch::Tensor classification_margin(const torch::Tensor& outputs, const torch::Tensor& labels) {
  if (outputs.dim() == 1) return labels.to(outputs.dtype()) * outputs;
  const torch::Tensor own = outputs.gather(1, labels.unsqueeze(1)).squeeze(1);
  const torch::Tensor others = outputs.scatter(1, labels.unsqueeze(1), -std::numeric_limits<double>::infinity());
  return own - others.amax(1);
}

int64_t class_count(const torch::Tensor& outputs) { return outputs.dim() == 1 ? 2 : outputs.size(1); }

}  // namespace robustlab
