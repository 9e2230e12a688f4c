// Study 2 against its claims: at the default size (Fashion-MNIST, MLP) the 10-class readout is
// as accurate as the binary net and more robust; with nothing learned the claims must fail.
#include <gtest/gtest.h>

#include "run_study.h"
#include "runtime/user_error.h"

namespace {

robustlab::StudyResult run_with(const std::vector<std::string>& sets) { return run_study("feature-averaging-real", sets); }

}  // namespace

TEST(FeatureAveragingRealClaims, HoldOnEverySeed) {
  const auto results = run_study_seeds("feature-averaging-real", {});
  expect_claims_hold(results);
  for (const auto& r : results) {
    ASSERT_EQ(r.models.size(), 2u);
    EXPECT_GT(r.models[0].clean_accuracy, 0.9);
    // The heads on shared features: binary-head units spread over their side's classes, the
    // decoupled head's units each pick their own class.
    std::map<std::string, double> metrics(r.models[0].metrics.begin(), r.models[0].metrics.end());
    EXPECT_GT(metrics.at("head_binary_classes_per_unit"), 2.5) << r.seed;
    EXPECT_GT(metrics.at("head_decoupled_own_class_cos"), 0.8) << r.seed;
    EXPECT_LT(metrics.at("head_binary_own_side_cos"), metrics.at("head_decoupled_own_class_cos")) << r.seed;
    ASSERT_EQ(r.saved_models.size(), 2u);
    ASSERT_NE(r.find_table("cosine_binary"), nullptr);
  }
}

TEST(FeatureAveragingRealClaims, FailWhenNothingIsLearned) {
  const robustlab::StudyResult r = run_with({"train.lr=0", "train.epochs=1", "data.train_size=500",
                                             "data.validation_size=100", "data.test_size=200", "head.steps=5"});
  EXPECT_FALSE(r.all_claims_pass());
}

TEST(FeatureAveragingReal, RefusesATaskThatIsNotBinary) {
  EXPECT_THROW(run_with({"data.labels=classes"}), robustlab::UserError);
}
