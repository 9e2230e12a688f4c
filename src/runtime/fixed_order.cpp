#include "runtime/fixed_order.h"

namespace robustlab {

double fixed_order_sum(const at::Tensor& values) {
  constexpr int64_t kRow = 4096;  // fixed: the rounding depends on it, never on the machine
  at::Tensor flat = values.detach().to(torch::kCPU, torch::kFloat64).flatten();
  const int64_t padding = (kRow - flat.numel() % kRow) % kRow;
  if (padding) flat = torch::cat({flat, torch::zeros({padding}, flat.options())});
  const at::Tensor rows = flat.view({-1, kRow}).sum(1).contiguous();
  const double* row = rows.data_ptr<double>();
  double total = 0;
  for (int64_t i = 0; i < rows.numel(); ++i) total += row[i];
  return total;
}

double fixed_order_mean(const at::Tensor& values) {
  return values.numel() ? fixed_order_sum(values) / static_cast<double>(values.numel()) : 0.0;
}

}  // namespace robustlab
