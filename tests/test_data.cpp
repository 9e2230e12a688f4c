// The orthogonal-cluster generator: geometry of the centres, noise, label balance, options.
#include <gtest/gtest.h>

#include "data/synthetic/orthogonal_clusters.h"
#include "runtime/random.h"
#include "runtime/user_error.h"

using namespace robustlab;

namespace {
OrthogonalClusters make(OrthogonalClustersOptions o, uint64_t seed = 0) {
  at::Generator gen = make_generator(seed);
  return make_orthogonal_clusters(o, gen);
}
}  // namespace

TEST(OrthogonalClusters, CentresAreOrthogonalWithNormSqrtD) {
  OrthogonalClustersOptions o;
  o.k = 6;
  o.d = 200;
  const auto data = make(o);
  const torch::Tensor gram = data.centres.to(torch::kFloat64).matmul(data.centres.to(torch::kFloat64).t());
  EXPECT_TRUE(torch::allclose(gram, 200.0 * torch::eye(6, torch::kFloat64), 1e-4, 1e-3));
}

TEST(OrthogonalClusters, PointsAreCentrePlusUnitNoiseWithBalancedLabels) {
  OrthogonalClustersOptions o;
  o.k = 4;
  o.d = 400;
  o.train_per_cluster = 250;
  const auto data = make(o);
  ASSERT_EQ(data.train.size(), 1000);
  EXPECT_EQ(data.train.labels.eq(1).sum().item<int64_t>(), 500);
  EXPECT_EQ(data.train.labels.eq(-1).sum().item<int64_t>(), 500);
  for (int64_t j = 0; j < 4; ++j) EXPECT_EQ(data.train.fine_labels.eq(j).sum().item<int64_t>(), 250);
  // Labels follow clusters: first k/2 positive.
  EXPECT_TRUE(torch::equal(data.cluster_labels, torch::tensor({1, 1, -1, -1}, torch::kInt64)));
  const torch::Tensor noise = data.train.inputs - data.centres.index_select(0, data.train.fine_labels);
  EXPECT_NEAR(noise.mean().item<double>(), 0.0, 0.01);
  EXPECT_NEAR(noise.std().item<double>(), 1.0, 0.01);
}

TEST(OrthogonalClusters, OptionsChangeTheGeometry) {
  OrthogonalClustersOptions o;
  o.k = 8;
  o.d = 300;
  o.noise_std = 0.5;
  o.centre_norm = 10;
  o.centre_norm_spread = 0.3;
  o.split = "alternate";
  o.centres = "gaussian";
  const auto data = make(o);
  const torch::Tensor norms = data.centres.norm(2, {1});
  EXPECT_GE(norms.min().item<double>(), 10 * 0.7 - 1e-4);
  EXPECT_LE(norms.max().item<double>(), 10 * 1.3 + 1e-4);
  EXPECT_GT((norms.max() - norms.min()).item<double>(), 0.5);  // they really vary
  EXPECT_TRUE(torch::equal(data.cluster_labels, torch::tensor({1, -1, 1, -1, 1, -1, 1, -1}, torch::kInt64)));
  // Gaussian centres are nearly, not exactly, orthogonal: cosines O(1/sqrt(d)).
  const torch::Tensor unit = data.centres / norms.unsqueeze(1);
  const torch::Tensor off = unit.matmul(unit.t()) - torch::eye(8);
  EXPECT_GT(off.abs().max().item<double>(), 1e-4);
  EXPECT_LT(off.abs().max().item<double>(), 0.3);
  const torch::Tensor noise = data.test.inputs - data.centres.index_select(0, data.test.fine_labels);
  EXPECT_NEAR(noise.std().item<double>(), 0.5, 0.02);
}

TEST(OrthogonalClusters, RefusesImpossibleShapes) {
  OrthogonalClustersOptions o;
  o.k = 20;
  o.d = 10;
  EXPECT_THROW(make(o), UserError);
}
