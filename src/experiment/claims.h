// Helpers for a study's claims. A claim compares a measured number with what the paper predicts;
// the number was measured on n test points, so it carries sampling noise, and a claim that does
// not account for it passes or fails by luck. The helpers here attach a standard error to each
// measured number and allow a stated number of standard errors (kClaimZ) before a claim fails
// (claim_at_least, claim_at_most), or demand the effect clear that many (claim_exceeds). The
// standard error covers the test points; how much a number varies between training runs is what
// checking every claim on several seeds (experiment/seeds.h) is for.
#pragma once
#include <ATen/core/Tensor.h>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "experiment/result.h"

namespace robustlab {

// printf-style text for claims and explanations, numbers only: claim_text("cos %.3f, ratio %.2f",
// x, y). Sized by a first pass, so that a long explanation is never cut.
template <typename... Numbers>
std::string claim_text(const char* format, Numbers... numbers) {
  const int length = std::snprintf(nullptr, 0, format, static_cast<double>(numbers)...);
  if (length <= 0) return {};
  std::string text(static_cast<size_t>(length), '\0');
  std::snprintf(text.data(), text.size() + 1, format, static_cast<double>(numbers)...);
  return text;
}

constexpr double kClaimZ = 2.0;  // standard errors of sampling noise a claim allows

// A number measured on n examples with the standard error of its sampling noise.
struct Estimate {
  double value = 0;
  double se = 0;
  int64_t n = 0;
};

// A fraction p of n examples (an accuracy): binomial standard error √(p(1 − p)/n), at least
// 1/(2n) so that 0 and 1 keep an allowance of half an example.
Estimate proportion(double p, int64_t n);

// The mean of n values with the standard error sd/√n of their spread (0 for one value).
Estimate sample_mean(const std::vector<double>& values);

// mean(a_i − b_i) over the same n examples (a_i, b_i per-example outcomes, e.g. 0/1 correct):
// paired, with standard error sd(a − b)/√n, which is small where the two agree on most points.
// The half-example floor as in proportion.
Estimate paired_difference(const at::Tensor& a, const at::Tensor& b);

// a − b measured on different samples (e.g. training and test points): independent errors,
// standard error √(se_a² + se_b²).
Estimate independent_difference(const Estimate& a, const Estimate& b);

// value >= threshold − z·SE, and value <= threshold + z·SE: a threshold met within sampling noise,
// for claims that check several numbers at once.
bool at_least(const Estimate& measured, double threshold, double z = kClaimZ);
bool at_most(const Estimate& measured, double threshold, double z = kClaimZ);
// value − z·SE > threshold: an effect beyond sampling noise (no effect fails, however noisy).
bool exceeds(const Estimate& measured, double threshold, double z = kClaimZ);

// "what >= threshold": passes when value >= threshold − z·SE. Its expected and measured texts say
// the threshold, the allowance and the standard error.
Claim claim_at_least(const std::string& name, const std::string& what, const Estimate& measured, double threshold,
                     double z = kClaimZ);
// "what <= threshold": passes when value <= threshold + z·SE.
Claim claim_at_most(const std::string& name, const std::string& what, const Estimate& measured, double threshold,
                    double z = kClaimZ);
// "what > threshold beyond sampling noise": passes when value − z·SE > threshold. For claims that
// an effect exists (one model more robust than another): no effect fails, however noisy.
Claim claim_exceeds(const std::string& name, const std::string& what, const Estimate& measured, double threshold,
                    double z = kClaimZ);

}  // namespace robustlab
