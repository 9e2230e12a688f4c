// Study 4 against its claims at test size on several seeds, and the overfitting gone when its
// mechanism is removed (a radius at which the signal alone is robust).
#include <gtest/gtest.h>

#include "run_study.h"

namespace {

// The synthetic part at test size, the images part off.
const std::vector<std::string> kSynthetic = {"data.test_size=300", "record_every=50", "landscape.points=50",
                                             "images.enabled=false"};

// The images part at test size (300 images, 100 epochs, widths x1 and x16), the synthetic part
// small (its claims are checked by the tests above).
const std::vector<std::string> kImages = {
    "data.test_size=100",        "train.steps=200",       "landscape.points=20",         "images.data.train_size=300",
    "images.data.test_size=300", "images.probe_points=300", "images.width_multipliers=[1,16]",
    "images.landscape.points=50"};

}  // namespace

TEST(CleanGeneralizationRobustOverfittingClaims, HoldOnEverySeed) {
  const auto results = run_study_seeds("clean-generalization-robust-overfitting", kSynthetic);
  expect_claims_hold(results);
  for (const auto& r : results) {
    ASSERT_NE(r.find_table("training_stages"), nullptr);
    ASSERT_NE(r.find_table("loss_landscape"), nullptr);
    EXPECT_EQ(r.find_table("images_final"), nullptr);
  }
}

TEST(CleanGeneralizationRobustOverfittingClaims, ImageClaimsHoldOnEverySeed) {
  for (const auto& r : run_study_seeds("clean-generalization-robust-overfitting", kImages)) {
    int image_claims = 0;
    for (const auto& c : r.claims)
      if (c.name.rfind("images", 0) == 0) {
        ++image_claims;
        EXPECT_TRUE(c.pass) << "seed " << r.seed << ": " << c.name << ": " << c.measured;
      }
    EXPECT_EQ(image_claims, 3);
    ASSERT_NE(r.find_table("images_final"), nullptr);
  }
}

// At δ = 0.5α what the attack leaves of the signal, U^q (α − δ)^q, is enough to be robust with:
// nothing needs memorising, test points are as robust as training points, and the gap closes.
TEST(CleanGeneralizationRobustOverfittingClaims, GapClosesWhenTheSignalSurvivesTheAttack) {
  std::vector<std::string> sets = kSynthetic;
  sets.push_back("adversarial.radius_per_alpha=0.5");
  const auto r = run_study("clean-generalization-robust-overfitting", sets);
  EXPECT_FALSE(claim_named(r, "clean generalisation with robust overfitting").pass)
      << claim_named(r, "clean generalisation with robust overfitting").measured;
  EXPECT_FALSE(claim_named(r, "the signal grows and stalls").pass);
}

// One width: nothing to compare, and the capacity claim must not pass by default.
TEST(CleanGeneralizationRobustOverfittingClaims, CapacityClaimFailsWithoutAWiderNet) {
  std::vector<std::string> sets = kImages;
  sets.push_back("images.width_multipliers=[1]");
  sets.push_back("images.train.epochs=20");
  const auto r = run_study("clean-generalization-robust-overfitting", sets);
  EXPECT_FALSE(claim_named(r, "images: robust training accuracy rises with width").pass);
}
