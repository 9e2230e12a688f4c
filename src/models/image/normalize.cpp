#include "models/image/normalize.h"

namespace robustlab {

NormalizeImpl::NormalizeImpl(const std::vector<double>& m, const std::vector<double>& s) {
  const int64_t c = static_cast<int64_t>(m.size());
  mean = register_buffer("mean", torch::tensor(m, torch::kFloat64).to(torch::kFloat32).view({1, c, 1, 1}));
  std = register_buffer("std", torch::tensor(s, torch::kFloat64).to(torch::kFloat32).view({1, c, 1, 1}));
}

torch::Tensor NormalizeImpl::forward(const torch::Tensor& x) { return (x - mean) / std; }

}  // namespace robustlab
