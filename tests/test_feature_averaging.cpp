// The feature-averaging study at small size: its claims hold, its numbers sit at the theory's
// scales, the same seed reproduces it bit for bit, and breaking the mechanism breaks the claims.
#include <gtest/gtest.h>

#include "run_study.h"
#include "small_study.h"

using namespace robustlab;

namespace {
StudyResult run(std::vector<std::string> sets) {
  for (const auto& s : small_feature_averaging()) sets.insert(sets.begin(), s);
  return run_study("feature-averaging", sets);
}
const Claim& claim(const StudyResult& r, const std::string& prefix) { return claim_named(r, prefix); }
torch::Tensor cosines(const StudyResult& r, const std::string& model) {
  const Table& t = *r.find_table("cosine_" + model);
  torch::Tensor c = torch::empty({static_cast<int64_t>(t.rows.size()), static_cast<int64_t>(t.columns.size() - 1)}, torch::kFloat64);
  for (size_t i = 0; i < t.rows.size(); ++i)
    for (size_t j = 1; j < t.columns.size(); ++j) c[i][j - 1] = std::get<double>(t.rows[i][j]);
  return c;
}
std::vector<double> accuracies(const StudyResult& r) {
  std::vector<double> a;
  const Table& t = *r.find_table("robust_accuracy");
  for (size_t i = 0; i < t.rows.size(); ++i) a.push_back(t.number(i, "accuracy"));
  return a;
}
}  // namespace

TEST(FeatureAveragingClaims, HoldOnEverySeedAtTheTheorysScales) {
  std::vector<std::string> sets = small_feature_averaging();
  const std::vector<StudyResult> results = run_study_seeds("feature-averaging", sets);
  expect_claims_hold(results);
  for (const StudyResult& r : results) {
    ASSERT_TRUE(r.models[0].critical_radius && r.models[1].critical_radius);
    // Binary breaks near sqrt(d/k) = 7.2, the decoupled readout near sqrt(d/2) = 16.
    EXPECT_GE(*r.models[0].critical_radius, 0.6 * 7.2) << r.seed;
    EXPECT_LE(*r.models[0].critical_radius, 1.6 * 7.2) << r.seed;
    EXPECT_GE(*r.models[1].critical_radius, 0.7 * 16) << r.seed;
    EXPECT_LE(*r.models[1].critical_radius, 1.4 * 16) << r.seed;
    // Every unit of the binary net has cosine ~ 1/sqrt(5) = 0.447 with the 5 centres of its class.
    const torch::Tensor cos = cosines(r, "binary");
    EXPECT_NEAR(cos.slice(0, 0, 5).slice(1, 0, 5).mean().item<double>(), 1 / std::sqrt(5.0), 0.05) << r.seed;
    EXPECT_NEAR(cos.slice(0, 5, 10).slice(1, 5, 10).mean().item<double>(), 1 / std::sqrt(5.0), 0.05) << r.seed;
  }
}

TEST(FeatureAveragingStudy, SameSeedSameNumbersBitForBit) {
  const StudyResult a = run({"seed=3"}), b = run({"seed=3"}), c = run({"seed=4"});
  const std::vector<double> ra = accuracies(a), rb = accuracies(b);
  ASSERT_EQ(ra.size(), rb.size());
  for (size_t i = 0; i < ra.size(); ++i) EXPECT_EQ(ra[i], rb[i]) << i;
  for (const char* m : {"binary", "decoupled"}) EXPECT_TRUE(torch::equal(cosines(a, m), cosines(b, m)));
  EXPECT_FALSE(torch::equal(cosines(a, "binary"), cosines(c, "binary")));  // the seed matters
}

TEST(FeatureAveragingClaims, FailWhenTheMechanismIsAbsent) {
  // Without training the binary net's units are random: no block pattern, no accuracy.
  const StudyResult untrained = run({"train.lr=0"});
  EXPECT_FALSE(claim(untrained, "binary net averages").pass);
  EXPECT_FALSE(claim(untrained, "decoupled net keeps").pass);
  EXPECT_FALSE(claim(untrained, "binary net is accurate").pass);
  // One cluster per class: averaging is the same as separating, the radii coincide.
  const StudyResult two_clusters = run({"data.k=2"});
  EXPECT_FALSE(claim(two_clusters, "binary net breaks").pass) << claim(two_clusters, "binary net breaks").measured;
}
