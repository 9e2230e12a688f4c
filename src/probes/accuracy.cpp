#include "probes/accuracy.h"

#include "models/classification.h"

namespace robustlab {

double accuracy(const Forward& forward, const torch::Tensor& inputs, const torch::Tensor& labels,
                int64_t batch_size) {
  torch::NoGradGuard no_grad;
  const int64_t n = inputs.size(0);
  int64_t correct = 0;
  for (int64_t start = 0; start < n; start += batch_size) {
    const int64_t end = std::min(n, start + batch_size);
    correct += is_correct(forward(inputs.slice(0, start, end)), labels.slice(0, start, end))
                   .sum()
                   .item<int64_t>();
  }
  return n ? static_cast<double>(correct) / static_cast<double>(n) : 0.0;
}

}  // namespace robustlab
