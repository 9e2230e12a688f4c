#include "experiment/claims.h"

#include <cmath>
#include <cstdio>

namespace robustlab {

namespace {
// Half an example of n: the least standard error an accuracy over n examples is given, so that 0
// and 1 keep an allowance.
double half_example(int64_t n) { return 0.5 / static_cast<double>(std::max<int64_t>(n, 1)); }
}  // namespace

Estimate proportion(double p, int64_t n) {
  const double count = static_cast<double>(std::max<int64_t>(n, 1));
  return {p, std::max(std::sqrt(std::max(p * (1 - p), 0.0) / count), half_example(n)), n};
}

Estimate independent_difference(const Estimate& a, const Estimate& b) {
  return {a.value - b.value, std::sqrt(a.se * a.se + b.se * b.se), std::min(a.n, b.n)};
}

Estimate sample_mean(const std::vector<double>& values) {
  const int64_t n = static_cast<int64_t>(values.size());
  const double count = static_cast<double>(std::max<int64_t>(n, 1));
  // Sums of at most a few thousand values: exact enough, and in a fixed order.
  double sum = 0, squares = 0;
  for (double v : values) sum += v;
  const double mean = sum / count;
  for (double v : values) squares += (v - mean) * (v - mean);
  const double sd = n > 1 ? std::sqrt(squares / (count - 1)) : 0.0;
  return {mean, sd / std::sqrt(count), n};
}

Estimate paired_difference(const at::Tensor& a, const at::Tensor& b) {
  const at::Tensor d = (a.to(torch::kFloat64) - b.to(torch::kFloat64)).flatten().cpu().contiguous();
  Estimate e = sample_mean(std::vector<double>(d.data_ptr<double>(), d.data_ptr<double>() + d.numel()));
  e.se = std::max(e.se, half_example(e.n));
  return e;
}

namespace {
std::string estimate_text(const std::string& what, const Estimate& e) {
  return what + claim_text(" %.4f (SE %.4f over %.0f points)", e.value, e.se, static_cast<double>(e.n));
}
}  // namespace

bool at_least(const Estimate& e, double threshold, double z) { return e.value >= threshold - z * e.se; }
bool at_most(const Estimate& e, double threshold, double z) { return e.value <= threshold + z * e.se; }
bool exceeds(const Estimate& e, double threshold, double z) { return e.value - z * e.se > threshold; }

Claim claim_at_least(const std::string& name, const std::string& what, const Estimate& e, double threshold, double z) {
  return {name, what + claim_text(" >= %.3g, allowing %.0f SE of sampling noise", threshold, z), estimate_text(what, e),
          at_least(e, threshold, z)};
}

Claim claim_at_most(const std::string& name, const std::string& what, const Estimate& e, double threshold, double z) {
  return {name, what + claim_text(" <= %.3g, allowing %.0f SE of sampling noise", threshold, z), estimate_text(what, e),
          at_most(e, threshold, z)};
}

Claim claim_exceeds(const std::string& name, const std::string& what, const Estimate& e, double threshold, double z) {
  return {name, what + claim_text(" > %.3g by more than %.0f SE of sampling noise", threshold, z), estimate_text(what, e),
          exceeds(e, threshold, z)};
}

}  // namespace robustlab
