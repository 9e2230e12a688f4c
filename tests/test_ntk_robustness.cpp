// Study 6 (ntk-robustness): its probes against closed forms, its claims at test size on several
// seeds, and each claim failing when its mechanism is removed.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "experiment/claims.h"
#include "kernel_checks.h"
#include "probes/ntk/eigen_feature_robustness.h"
#include "probes/ntk/kernel_dynamics.h"
#include "probes/ntk/kernel_similarity.h"
#include "run_study.h"
#include "runtime/random.h"

using namespace robustlab;

namespace {

// A test-size run of the kernel, transfer and eigen experiments, without the kernel dynamics:
// 300 training and 400 test images, a 512-wide lazy net, 20 eigen-features on 100 test images.
// The narrow net's
// accuracy on the kernel's examples moves with OpenBLAS's kernels (on seed 2: 0.375 with
// Haswell's, 0.495 with SkylakeX's, of 200 points): 400 points keep the narrow-transfer claim's
// worst case (0.15, SE 0.03, over seeds 0-5 and three kernel families) clear of its margin.
const std::vector<std::string> kTestSize = {
    "data.train_size=300",          "data.test_size=400",         "transfer.eps=[0.05]",
    "transfer.lazy.width=512",      "transfer.lazy.steps=100",    "transfer.narrow.steps=300",
    "eigen.count=20",               "eigen.test_size=100",        "eigen.pictures=1",
    "dynamics.enabled=false"};

// The kernel dynamics alone, at their default size (the CNN on 2000 images for 45 epochs): the
// laziness claim compares late per-epoch velocities of 0.005-0.008 with 0.008-0.015, and with
// fewer epochs or images the epochs' noise hides it (at 10 epochs on 500 images the
// velocities are 0.014-0.030, their differences within 1-3 SE). The other experiments shrink to
// almost nothing: they do not feed the dynamics' claims. run_with_kernels.sh leaves these tests
// out (their CNN is oneDNN's work, and four kernel variants would cost about 6 minutes).
const std::vector<std::string> kDynamicsOnly = {"data.train_size=40",    "data.test_size=20",
                                                "transfer.lazy.steps=5", "transfer.narrow.steps=5",
                                                "eigen.count=6",         "eigen.top_k=3",
                                                "eigen.test_size=20"};

// The dynamics' two claims, by the start of their names.
const std::vector<std::string> kDynamicsClaims = {"adversarial training's kernel goes lazy",
                                                  "adversarial training concentrates"};

std::vector<std::string> with(std::vector<std::string> sets, const std::vector<std::string>& base = kTestSize) {
  sets.insert(sets.begin(), base.begin(), base.end());
  return sets;
}

}  // namespace

// With the linear kernel Θ(x, x') = ⟨x, x'⟩ every eigen-feature is linear, f_i(x) = ⟨g_i, x⟩ with
// g_i = Xᵀ w_i, and FGSM on it lowers y f_i by exactly ε‖g_i‖₁ (no box): robustness_i is
// P[y ⟨g_i, x⟩ > ε ‖g_i‖₁].
TEST(NtkRobustness, EigenFeatureRobustnessOfALinearKernelIsItsClosedForm) {
  at::Generator gen = make_generator(31);
  const torch::Tensor train = torch::randn({12, 6}, gen, torch::kFloat64);
  const torch::Tensor labels = torch::where(train.select(1, 0) > 0, 1, -1).to(torch::kInt64);
  Dataset test;
  test.inputs = torch::randn({400, 6}, gen, torch::kFloat64);
  test.labels = torch::where(test.inputs.select(1, 0) + 0.3 * test.inputs.select(1, 1) > 0, 1, -1).to(torch::kInt64);
  const TrainKernel kernel = [train](const torch::Tensor& x) { return x.matmul(train.t()); };
  // Ridgeless needs Θ(X, X) = X Xᵀ of full rank: 12 points in 6 dimensions are not, so a ridge.
  const EigenFeatures features = eigen_features(train.matmul(train.t()) + 0.1 * torch::eye(12, torch::kFloat64), labels);
  const double eps = 0.2;
  const EigenFeatureProfile profile = eigen_feature_profile(kernel, features, test, eps, 6);
  const torch::Tensor y = test.labels.to(torch::kFloat64);
  for (int64_t i = 0; i < 6; ++i) {
    const torch::Tensor g = train.t().matmul(features.weights.select(1, i));
    const torch::Tensor margin = y * test.inputs.matmul(g);
    EXPECT_NEAR(profile.usefulness[i].item<double>(), (margin > 0).to(torch::kFloat64).mean().item<double>(), 1e-12) << i;
    EXPECT_NEAR(profile.robustness[i].item<double>(),
                (margin > eps * g.abs().sum()).to(torch::kFloat64).mean().item<double>(), 1e-12)
        << i;
    EXPECT_LT(test::relative_error(eigen_feature_gradient(kernel, features, i, test.inputs.slice(0, 0, 3)),
                                   g.unsqueeze(0).expand({3, 6})),
              1e-12);
  }
}

// A kernel moving on a straight line K_t = K_0 + (t/T)·D: radius t/T, similarity 1 with itself
// and with a scaled copy; a diagonal kernel's top-k mass; the settling epoch of known velocities.
TEST(NtkRobustness, KernelDynamicsOfAStraightPath) {
  at::Generator gen = make_generator(32);
  const torch::Tensor a = torch::randn({8, 8}, gen, torch::kFloat64);
  const torch::Tensor k0 = a.matmul(a.t()) + torch::eye(8, torch::kFloat64);
  const torch::Tensor b = torch::randn({8, 8}, gen, torch::kFloat64);
  const torch::Tensor d = b.matmul(b.t());
  std::vector<torch::Tensor> kernels;
  for (int t = 0; t <= 4; ++t) kernels.push_back(k0 + d * (t / 4.0));
  const std::vector<KernelEpoch> rows = kernel_dynamics(kernels, 2);
  ASSERT_EQ(rows.size(), 5u);
  for (const KernelEpoch& r : rows) {
    const size_t t = static_cast<size_t>(r.epoch);
    EXPECT_NEAR(r.full.radius, r.epoch / 4.0, 1e-12);
    EXPECT_NEAR(r.similarity_to_first, kernel_similarity(kernels[t], kernels[0]), 1e-12);
    EXPECT_NEAR(r.similarity_to_final, kernel_similarity(kernels[t], kernels[4]), 1e-12);
    EXPECT_NEAR(r.full.angle, std::acos(std::min(1.0, kernel_similarity(kernels[t], kernels[0]))), 1e-6);
    // Velocity against the previous epoch (0 at the first), not against K_0.
    EXPECT_NEAR(r.velocity, t == 0 ? 0 : 1 - kernel_similarity(kernels[t], kernels[t - 1]), 1e-12);
  }
  EXPECT_LT(rows[4].similarity_to_first, 1 - 1e-3);  // the path moves
  EXPECT_GT(rows[4].velocity, 0);
  EXPECT_LT(rows[4].velocity, 1 - rows[4].similarity_to_first);  // one step is less than the whole path
  const torch::Tensor s = kernel_similarity_matrix({k0, 3.5 * k0, k0 + d});
  EXPECT_NEAR(s[0][1].item<double>(), 1, 1e-12);
  EXPECT_LT(s[0][2].item<double>(), 1 - 1e-3);
  EXPECT_NEAR(s[0][2].item<double>(), s[2][0].item<double>(), 1e-15);

  const torch::Tensor diagonal = torch::diag(torch::tensor({4.0, 3.0, 1.0, 1.0}, torch::kFloat64));
  EXPECT_NEAR(kernel_dynamics({diagonal, diagonal}, 2)[0].top_mass, 25.0 / 27.0, 1e-12);

  // Diagonal kernels growing along the diagonal with their order kept: the top-2 part is the first
  // two entries, the bottom part the rest, and each moves on a straight line of its own.
  std::vector<torch::Tensor> diagonals;
  for (int t = 0; t <= 2; ++t)
    diagonals.push_back(torch::diag(torch::tensor({9.0 + t, 8.0, 2.0, 1.0 + 3 * t}, torch::kFloat64)));
  const std::vector<KernelEpoch> split = kernel_dynamics(diagonals, 2);
  EXPECT_NEAR(split[1].top.radius, 0.5, 1e-12);
  EXPECT_NEAR(split[1].bottom.radius, 0.5, 1e-12);
  // S(diag(9,8), diag(11,8)) and S(diag(2,1), diag(2,7)) at the last epoch.
  EXPECT_NEAR(split[2].top.angle, std::acos((99.0 + 64) / std::sqrt((81.0 + 64) * (121 + 64))), 1e-9);
  EXPECT_NEAR(split[2].bottom.angle, std::acos((4.0 + 7) / std::sqrt((4.0 + 1) * (4 + 49))), 1e-9);
  EXPECT_NEAR(split[2].top_mass, (121.0 + 64) / (121 + 64 + 4 + 49), 1e-12);

  std::vector<KernelEpoch> velocities(6);
  const double v[] = {0, 0.3, 0.002, 0.05, 0.004, 0.001};
  for (int t = 0; t < 6; ++t) velocities[t] = KernelEpoch{t, 0, 0, v[t]};
  EXPECT_EQ(settling_epoch(velocities, 0.01), 4);
  EXPECT_EQ(settling_epoch(velocities, 0.0005), 6);  // never
  EXPECT_EQ(settling_epoch(velocities, 1), 1);
  // Averaged over 2 epochs: 0.3, 0.151, 0.026, 0.027, 0.0025 at epochs 1..5.
  EXPECT_EQ(settling_epoch(velocities, 0.01, 2), 5);
  EXPECT_EQ(settling_epoch(velocities, 0.03, 2), 3);
  EXPECT_EQ(settling_epoch(velocities, 0.2, 2), 2);
  EXPECT_EQ(settling_epoch(velocities, 0.01, 100), 6);  // the mean from epoch 1 on never falls that low
  const std::vector<KernelEpoch> late = late_epochs(velocities);  // epochs 3..5 of 5
  ASSERT_EQ(late.size(), 3u);
  EXPECT_EQ(late[0].epoch, 3);
  EXPECT_EQ(late[2].velocity, 0.001);
}

TEST(NtkRobustnessClaims, HoldOnEverySeed) {
  const auto results = run_study_seeds("ntk-robustness", kTestSize);
  expect_claims_hold(results);
  for (const auto& r : results) {
    EXPECT_EQ(r.claims.size(), 3u);
    ASSERT_NE(r.find_table("transfer"), nullptr);
    ASSERT_NE(r.find_table("eigen_features"), nullptr);
  }
}

TEST(NtkRobustnessClaims, KernelDynamicsClaimsHoldOnEverySeed) {
  const auto results = run_study_seeds("ntk-robustness", kDynamicsOnly);
  for (const auto& r : results) {
    for (const std::string& claim : kDynamicsClaims)
      EXPECT_TRUE(claim_named(r, claim).pass) << "seed " << r.seed << ": " << claim_named(r, claim).measured;
    ASSERT_NE(r.find_table("kernel_dynamics"), nullptr);
    ASSERT_NE(r.find_table("epoch_similarity_PGD"), nullptr);
    // The kernels of every epoch and training (3 x (45 + 1) at the default size), each row with a
    // finite velocity.
    const robustlab::Table& dynamics = *r.find_table("kernel_dynamics");
    const size_t epochs = 45;
    ASSERT_EQ(dynamics.rows.size(), 3 * (epochs + 1));
    EXPECT_EQ(dynamics.number(epochs, "epoch"), static_cast<double>(epochs));
    EXPECT_EQ(std::get<std::string>(dynamics.rows[epochs + 1][0]), "FGSM");
    for (size_t row = 0; row < dynamics.rows.size(); ++row) {
      EXPECT_TRUE(std::isfinite(dynamics.number(row, "velocity")));
      // The net trains between kernels: every epoch after the first moves the kernel.
      if (dynamics.number(row, "epoch") >= 1) EXPECT_GT(dynamics.number(row, "velocity"), 0);
    }
    // The summary: each training's late velocity is the mean over epochs epochs/2 + 1 .. epochs
    // of its rows above; standard training's late velocity and outside-top mass over its own are
    // 1, over another's the ratio of their means over the same epochs.
    const robustlab::Table& summary = *r.find_table("dynamics_summary");
    const size_t from = epochs / 2 + 1, count = epochs - from + 1;
    double standard_velocity = 0, standard_outside_top = 0;
    for (size_t t = 0; t < 3; ++t) {
      double velocity = 0, outside_top = 0;
      for (size_t epoch = from; epoch <= epochs; ++epoch) {
        velocity += dynamics.number(t * (epochs + 1) + epoch, "velocity");
        outside_top += 1 - dynamics.number(t * (epochs + 1) + epoch, "top_mass");
      }
      if (t == 0) {
        standard_velocity = velocity;
        standard_outside_top = outside_top;
      }
      EXPECT_NEAR(summary.number(t, "late_velocity"), velocity / count, 1e-12) << t;
      EXPECT_NEAR(summary.number(t, "late_outside_top"), outside_top / count, 1e-12) << t;
      EXPECT_NEAR(summary.number(t, "standard_velocity_over_this"), standard_velocity / velocity, 1e-9) << t;
      EXPECT_NEAR(summary.number(t, "standard_outside_top_over_this"), standard_outside_top / outside_top, 1e-9) << t;
    }
    EXPECT_DOUBLE_EQ(summary.number(0, "standard_velocity_over_this"), 1);
    // The laziness claim reads standard's late velocity over the mean of FGSM's and PGD's.
    const double lazier = summary.number(0, "late_velocity") /
                          ((summary.number(1, "late_velocity") + summary.number(2, "late_velocity")) / 2);
    EXPECT_EQ(claim_named(r, kDynamicsClaims[0]).measured.rfind(claim_text("%.2f x", lazier), 0), 0u)
        << claim_named(r, kDynamicsClaims[0]).measured;
    EXPECT_DOUBLE_EQ(summary.number(0, "standard_outside_top_over_this"), 1);
  }
}

// Both dynamics claims come from adversarial training: "adversarial" training at eps 1e-6
// (standard training by another name) moves its kernel as much as standard training does
// (standard's late velocity is 0.83-1.05x its on seeds 0-5, against 1.31-2.31x at eps 0.1 on
// seeds 0-9) and keeps as much mass outside the top eigenvalues (0.89-1.21x, against 2.8-6.6x).
TEST(NtkRobustnessClaims, DynamicsClaimsNeedAPerturbation) {
  const auto r = run_study("ntk-robustness", with({"dynamics.eps=1e-6"}, kDynamicsOnly));
  for (const std::string& claim : kDynamicsClaims)
    EXPECT_FALSE(claim_named(r, claim).pass) << claim_named(r, claim).measured;
}

// What the kernel sees: the clean batch for every training (clean), the training's own attack
// (training: clean for standard), or PGD against the current weights for all three (pgd).
TEST(NtkRobustness, KernelInputsChooseTheBatchTheKernelSees) {
  std::map<std::string, std::vector<double>> velocities;  // "inputs/training" -> per epoch
  for (const std::string inputs : {"clean", "training", "pgd"}) {
    const auto r = run_study(
        "ntk-robustness",
        with({"dynamics.kernel_inputs=" + inputs, "dynamics.train.epochs=2", "dynamics.data.train_size=200",
              "dynamics.data.test_size=50", "dynamics.kernel_batch=12", "dynamics.top_k=3"},
             kDynamicsOnly));
    const robustlab::Table& dynamics = *r.find_table("kernel_dynamics");
    for (size_t row = 0; row < dynamics.rows.size(); ++row)
      velocities[inputs + "/" + std::get<std::string>(dynamics.rows[row][0])].push_back(
          dynamics.number(row, "velocity"));
  }
  EXPECT_EQ(velocities["clean/standard"], velocities["training/standard"]);
  EXPECT_NE(velocities["clean/FGSM"], velocities["training/FGSM"]);
  EXPECT_NE(velocities["clean/standard"], velocities["pgd/standard"]);
  EXPECT_NE(velocities["training/PGD"], velocities["pgd/PGD"]);  // its own PGD starts at random, the kernel's at 0
}

// The robust features sit at the top because of the spectrum's order: the same 40 features (the
// default count; in spectrum order the split is 0.32, SE 0.06) taken in a random order show none
// (-0.001 to 0.024 on seeds 0-3). With 20 a lucky order can come close to the claim's margin.
TEST(NtkRobustnessClaims, TopRobustnessNeedsTheSpectrumsOrder) {
  for (const std::string seed : {"seed=0", "seed=1"}) {
    const auto r = run_study("ntk-robustness",
                             with({"eigen.ranking=shuffled", "eigen.count=40", seed}));
    EXPECT_FALSE(claim_named(r, "robust eigen-features sit at the top").pass)
        << seed << ": " << claim_named(r, "robust eigen-features sit at the top").measured;
  }
}

// The lazy net follows the kernel predictor at its own training time: examples made on the
// predictor trained to convergence (ridgeless, t = ∞) fool the kernel but not the net.
TEST(NtkRobustnessClaims, TransferFailsAgainstTheConvergedKernel) {
  const auto r = run_study("ntk-robustness", with({"kernel.at_lazy_time=false"}));
  EXPECT_FALSE(claim_named(r, "the kernel's adversarial examples transfer").pass)
      << claim_named(r, "the kernel's adversarial examples transfer").measured;
}

// Less transfer to the narrow net comes from its feature learning: a "narrow" net as wide and
// as lazily trained as the lazy one sits as close to its worst case on the kernel's examples.
TEST(NtkRobustnessClaims, NarrowTransferGapNeedsFeatureLearning) {
  const auto r = run_study("ntk-robustness", with({"transfer.narrow.width=512", "transfer.narrow.lr=1",
                                                    "transfer.narrow.steps=100", "eigen.count=6", "eigen.top_k=3"}));
  EXPECT_FALSE(claim_named(r, "the kernel's examples transfer less").pass) << claim_named(r, "the kernel's examples transfer less").measured;
}
