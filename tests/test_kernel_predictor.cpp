// Kernel regression with a kernel (probes/ntk/kernel_predictor.h) and kernel similarity.
#include <gtest/gtest.h>

#include "kernel_checks.h"
#include "probes/ntk/infinite_relu_ntk.h"
#include "probes/ntk/kernel_predictor.h"
#include "probes/ntk/kernel_similarity.h"
#include "runtime/random.h"

using namespace robustlab;
using robustlab::test::relative_error;

namespace {

struct KernelTask {
  torch::Tensor train_kernel, test_train_kernel, labels;
};

// The infinite ReLU NTK on random points, labels ±1 ([n]) or k columns ([n, k]).
KernelTask kernel_task(uint64_t seed, int64_t columns) {
  at::Generator gen = make_generator(seed);
  const torch::Tensor train = torch::randn({12, 5}, gen, torch::kFloat64);
  const torch::Tensor test = torch::randn({7, 5}, gen, torch::kFloat64);
  torch::Tensor labels = torch::randint(0, 2, {12, columns}, gen, torch::kInt64) * 2 - 1;
  if (columns == 1) labels = labels.squeeze(1);
  return {infinite_relu_ntk(train, train), infinite_relu_ntk(test, train), labels.to(torch::kFloat64)};
}

}  // namespace

TEST(KernelPredictor, RidgelessInterpolatesItsTrainingSet) {
  for (int64_t columns : {1, 3}) {
    const KernelTask t = kernel_task(31, columns);
    const torch::Tensor fit = kernel_predict(t.train_kernel, t.train_kernel, t.labels);
    EXPECT_EQ(fit.sizes(), t.labels.sizes());
    EXPECT_LT(relative_error(fit, t.labels), 1e-8);
  }
}

TEST(KernelPredictor, RidgeSolvesTheRegularisedSystem) {
  const KernelTask t = kernel_task(32, 1);
  KernelRegressionOptions o;
  o.ridge = 0.3;
  const torch::Tensor alpha = kernel_regression_weights(t.train_kernel, t.labels, o);
  EXPECT_LT(relative_error(t.train_kernel.matmul(alpha) + 0.3 * alpha, t.labels), 1e-10);
  EXPECT_GT(relative_error(t.train_kernel.matmul(alpha), t.labels), 1e-3);  // no longer interpolates
}

TEST(KernelPredictor, FiniteTimeStartsAtZeroAndTendsToTheRidgelessPredictor) {
  const KernelTask t = kernel_task(33, 3);
  const torch::Tensor limit = kernel_predict(t.test_train_kernel, t.train_kernel, t.labels);
  KernelRegressionOptions o;
  o.learning_rate = 0.5;
  o.time = 0.0;
  EXPECT_EQ(kernel_predict(t.test_train_kernel, t.train_kernel, t.labels, o).abs().max().item<double>(), 0.0);
  auto error_at = [&](double time) {
    o.time = time;
    return relative_error(kernel_predict(t.test_train_kernel, t.train_kernel, t.labels, o), limit);
  };
  double previous = 1e300;
  for (double time : {0.1, 1.0, 10.0}) {
    const double error = error_at(time);
    EXPECT_LT(error, previous) << "t = " << time;
    previous = error;
  }
  EXPECT_GT(previous, 1e-6);  // not yet converged at t = 10 ...
  EXPECT_LT(error_at(1e5), 1e-8);  // ... and converged long after
}

TEST(KernelPredictor, EigenFeaturesSumToThePredictor) {
  for (int64_t columns : {1, 3}) {
    const KernelTask t = kernel_task(34, columns);
    const EigenFeatures features = eigen_features(t.train_kernel, t.labels);
    EXPECT_TRUE((features.eigenvalues.slice(0, 0, -1) >= features.eigenvalues.slice(0, 1)).all().item<bool>());
    const torch::Tensor values = eigen_feature_values(features, t.test_train_kernel);  // [m, n(, k)]
    EXPECT_EQ(values.size(1), 12);
    const torch::Tensor f = kernel_predict(t.test_train_kernel, t.train_kernel, t.labels);
    EXPECT_LT(relative_error(values.sum(1), f), 1e-8);
    // Feature 0 is λ_0⁻¹ Θ(x, X) v_0 v_0ᵀ Y.
    const torch::Tensor v0 = std::get<1>(torch::linalg_eigh(t.train_kernel, "L")).select(1, 11);
    const torch::Tensor y = columns == 1 ? t.labels.unsqueeze(1) : t.labels;
    const torch::Tensor first = t.test_train_kernel.matmul(v0).unsqueeze(1) * v0.matmul(y).unsqueeze(0) /
                                features.eigenvalues[0];
    EXPECT_LT(relative_error(values.select(1, 0).reshape(first.sizes()), first), 1e-10);
  }
}

TEST(KernelPredictor, RidgelessOnASingularKernelIsRefused) {
  const torch::Tensor v = torch::randn({6, 1}, torch::kFloat64);
  EXPECT_THROW(kernel_regression_weights(v.matmul(v.t()), torch::ones({6}, torch::kFloat64)), c10::Error);
}

TEST(KernelSimilarity, IsOneWithItselfAndAScaledCopyAndLessOtherwise) {
  const KernelTask t = kernel_task(35, 1);
  EXPECT_NEAR(kernel_similarity(t.train_kernel, t.train_kernel), 1.0, 1e-12);
  EXPECT_NEAR(kernel_similarity(t.train_kernel, 3.7 * t.train_kernel), 1.0, 1e-12);
  EXPECT_NEAR(kernel_similarity(t.train_kernel, -t.train_kernel), -1.0, 1e-12);
  const double with_identity = kernel_similarity(t.train_kernel, torch::eye(12, torch::kFloat64));
  // ⟨K, I⟩ / (‖K‖ √n) = Tr K / (‖K‖_F √n), computed here directly.
  const double expected = (t.train_kernel.trace() / (t.train_kernel.norm() * std::sqrt(12.0))).item<double>();
  EXPECT_NEAR(with_identity, expected, 1e-12);
  EXPECT_LT(with_identity, 0.99);
}
