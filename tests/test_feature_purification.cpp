// Study 5 (feature purification): its data against the definition, the linear classifier's
// analytic radius against the dense attack and PGD, the purification probes on constructed
// weights, the closed-form NTK against autograd, and the claims at test size on several seeds,
// each failing when its mechanism is removed.
#include <gtest/gtest.h>

#include "run_study.h"

#include "attacks/attack.h"
#include "data/synthetic/sparse_coding.h"
#include "models/two_layer/symmetric_relu.h"
#include "probes/accuracy.h"
#include "probes/ntk/empirical_ntk.h"
#include "probes/ntk/polynomial_kernel.h"
#include "probes/ntk/symmetric_relu_ntk.h"
#include "probes/purification.h"
#include "probes/spatial_frequency.h"
#include "runtime/random.h"

using namespace robustlab;

namespace {

SparseCoding small_data(int64_t teacher_support = 0) {
  SparseCodingOptions o;
  o.d = 64;
  o.sparsity = 4;
  o.train_size = 4000;
  o.test_size = 500;
  o.noise_std = 0.1;
  o.teacher_support = teacher_support;
  at::Generator gen = make_generator(3);
  return make_sparse_coding(o, gen);
}

// E[number of non-zero coordinates of z | <w*, z> != 0] for a dense ±1 teacher: k ~ Bin(d, s/d)
// non-zero coordinates, each ±1 uniformly and independently, so <w*, z> is a sum of k random
// signs, which is 0 with probability C(k, k/2) / 2^k for even k.
double expected_support(int64_t d, double s) {
  const double p = s / static_cast<double>(d);
  double mass = 0, mean = 0, binomial = std::pow(1 - p, static_cast<double>(d));  // P(k = 0)
  for (int64_t k = 0; k <= d; ++k) {
    if (k > 0) binomial *= static_cast<double>(d - k + 1) / static_cast<double>(k) * p / (1 - p);
    double zero = 0;
    if (k % 2 == 0) zero = std::exp(std::lgamma(k + 1.0) - 2 * std::lgamma(k / 2 + 1.0) - k * std::log(2.0));
    mass += binomial * (1 - zero);
    mean += binomial * (1 - zero) * static_cast<double>(k);
  }
  return mean / mass;
}

// 3000 training and 400 test points, 128 neurons, 100 clean steps and 300 adversarial ones at lr 1,
// PGD-2 adversarial training; the attacks only at tau (about 10 s a run). At this size the
// adversarially trained nets reach 0.58-0.67 robust accuracy at tau from the clean net's 0.17-0.23
// (seeds 0-3; 0.82-0.84 from 0.27-0.31 at the default size), so the claim asks for 0.5 and a gain
// of 0.25 here.
const std::vector<std::string> kTestSize = {"images.enabled=false",   "data.train_size=3000", "data.test_size=400",
                                            "model.width=128",        "train.steps=100",      "train.lr=1",
                                            "adversarial.steps=300",  "adversarial.pgd_steps=2",
                                            "attack.eps=[0.45]",      "attack.steps=10",
                                            "verify.min_adversarial_robust=0.5", "verify.min_robust_gain=0.25"};

std::vector<std::string> with(std::vector<std::string> sets) {
  sets.insert(sets.begin(), kTestSize.begin(), kTestSize.end());
  return sets;
}

}  // namespace

TEST(FeaturePurificationData, DictionaryIsOrthogonalCodesAreSparseLabelsFollowTheTeacher) {
  const SparseCoding data = small_data();
  const int64_t d = data.dictionary.size(0);
  EXPECT_TRUE(torch::allclose(data.dictionary.t().matmul(data.dictionary), torch::eye(d), 1e-5, 1e-5));
  const at::Tensor z = data.train_codes;
  EXPECT_TRUE(((z == 0) | (z == 1) | (z == -1)).all().item<bool>());
  // Non-zero coordinates per code: the conditional expectation, within 4 standard errors.
  const at::Tensor support = (z != 0).sum(1).to(torch::kFloat64);
  const double se = support.std().item<double>() / std::sqrt(static_cast<double>(support.numel()));
  EXPECT_NEAR(support.mean().item<double>(), expected_support(d, 4), 4 * se);
  // Labels are sign<w*, z>, never 0; the noise x - M z has norm about sigma = 0.1.
  const at::Tensor margin = z.matmul(data.teacher);
  EXPECT_TRUE((margin != 0).all().item<bool>());
  EXPECT_TRUE(data.train.labels.equal(margin.sign().to(torch::kInt64)));
  const at::Tensor noise = data.train.inputs - z.matmul(data.dictionary.t());
  EXPECT_NEAR(noise.square().sum(1).mean().item<double>(), 0.01, 0.001);
  // A sparse teacher: w* is zero off its support and every label comes from those atoms.
  const SparseCoding sparse = small_data(3);
  EXPECT_EQ(sparse.teacher.abs().sum().item<double>(), 3);
  EXPECT_TRUE((sparse.train_codes.slice(1, 0, 3).abs().sum(1) > 0).all().item<bool>());
}

// The linear classifier f(x) = <M w*, x> has l2 margin y f(x) / |M w*| at every point: the dense
// attack moves y f by exactly -eps |M w*| (its closed form), breaks each point just past that
// radius and not before it, and PGD can do no better than it.
TEST(FeaturePurificationData, LinearClassifierBreaksAtItsAnalyticRadius) {
  const SparseCoding data = small_data();
  const at::Tensor w = data.dictionary.matmul(data.teacher);
  Victim victim = make_victim([w](const at::Tensor& x) { return x.matmul(w); });
  victim.class_direction = data.dense_direction();
  const Dataset test = data.test;
  const at::Tensor y = test.labels.to(torch::kFloat32);
  const at::Tensor radius = y * test.inputs.matmul(w) / w.norm();  // analytic, per point
  ASSERT_TRUE((radius > 0).all().item<bool>());
  AttackSpec dense;
  dense.name = "dense-direction";
  at::Generator gen = make_generator(0);
  const double eps = 0.3;
  const at::Tensor moved = run_attack(victim, test.inputs, test.labels, dense.at(eps), gen);
  EXPECT_TRUE(torch::allclose(y * moved.matmul(w), y * test.inputs.matmul(w) - eps * w.norm(), 1e-4, 1e-4));
  // Each point, attacked just inside and just outside its radius.
  for (const double factor : {0.999, 1.001}) {
    int64_t wrong = 0;
    for (int64_t i = 0; i < 50; ++i) {
      const at::Tensor x = test.inputs.slice(0, i, i + 1), label = test.labels.slice(0, i, i + 1);
      dense.eps = radius[i].item<double>() * factor;
      wrong += accuracy(victim.forward, run_attack(victim, x, label, dense, gen), label) < 0.5;
    }
    EXPECT_EQ(wrong, factor < 1 ? 0 : 50) << "factor " << factor;
  }
  // PGD at eps: exactly the points whose radius exceeds eps survive (no better, and within one
  // point no worse).
  AttackSpec pgd;
  pgd.name = "pgd-l2";
  pgd.steps = 20;
  const double survivors = (radius > eps).to(torch::kFloat64).mean().item<double>();
  const double pgd_accuracy = accuracy(victim.forward, run_attack(victim, test.inputs, test.labels, pgd.at(eps), gen),
                                       test.labels);
  EXPECT_NEAR(pgd_accuracy, survivors, 1.0 / static_cast<double>(test.size()) + 1e-9);
  EXPECT_LT(survivors, 0.5);  // d = 64, s = 4: most points break at 0.3
}

// w = beta w' + v with v orthogonal to w' and both known: the probe returns beta and |v|/|beta w'|.
TEST(FeaturePurificationProbes, DecompositionRecoversAConstructedPair) {
  at::Generator gen = make_generator(5);
  const at::Tensor w_adv = torch::randn({6, 20}, gen, torch::kFloat64);
  at::Tensor v = torch::randn({6, 20}, gen, torch::kFloat64);
  v = v - ((v * w_adv).sum(1, true) / (w_adv * w_adv).sum(1, true)) * w_adv;  // v ⟂ w'
  const at::Tensor beta = torch::tensor({0.5, 1.0, 2.0, -1.5, 3.0, 0.1}, torch::kFloat64);
  const Purification p = purification(beta.unsqueeze(1) * w_adv + v, w_adv);
  EXPECT_TRUE(torch::allclose(p.beta, beta, 1e-10, 1e-12));
  const at::Tensor ratio = v.norm(2, {1}) / (beta.abs() * w_adv.norm(2, {1}));
  EXPECT_TRUE(torch::allclose(p.ratio, ratio, 1e-10, 1e-12));
  EXPECT_TRUE(torch::allclose(row_cosines(w_adv, 3 * w_adv), torch::ones({6}, torch::kFloat64)));
}

// A neuron 2 M_0 + M_1 + a dense part c·u: the mass off its two largest atoms is exactly the dense
// part's energy there. The singular-value share and the high-frequency share on known inputs.
TEST(FeaturePurificationProbes, DenseMassSingularShareAndFrequencyOnKnownInputs) {
  at::Generator gen = make_generator(6);
  const int64_t d = 16;
  const at::Tensor atoms = std::get<0>(torch::linalg_qr(torch::randn({d, d}, gen, torch::kFloat64))).t();
  const at::Tensor w = (2.1 * atoms[0] + 1.1 * atoms[1] + 0.1 * atoms.slice(0, 2).sum(0)).unsqueeze(0);
  const double expected = 0.01 * (d - 2) / (2.1 * 2.1 + 1.1 * 1.1 + 0.01 * (d - 2));
  EXPECT_NEAR(dense_mixture_mass(w, atoms, 2).item<double>(), expected, 1e-10);
  EXPECT_NEAR(dense_mixture_mass(atoms.slice(0, 0, 3), atoms, 1).max().item<double>(), 0, 1e-10);
  // Rank 1 plus a small orthogonal rank-1 part: shares 9 / 10 and 1.
  const at::Tensor a = atoms[0].unsqueeze(1), b = atoms[1].unsqueeze(1);  // orthonormal columns
  const at::Tensor delta = 3 * a.matmul(atoms[2].unsqueeze(0)) + b.matmul(atoms[3].unsqueeze(0));
  EXPECT_NEAR(top_singular_share(delta, 1), 0.9, 1e-10);
  EXPECT_NEAR(top_singular_share(delta, 2), 1.0, 1e-10);
  // A constant picture has no high frequency; a checkerboard (f = 1/2, 1/2) has only that.
  const at::Tensor flat = torch::ones({1, 1, 8, 8});
  const at::Tensor checker = (torch::arange(8).unsqueeze(1) + torch::arange(8).unsqueeze(0)).remainder(2).to(torch::kFloat32) * 2 - 1;
  EXPECT_NEAR(high_frequency_share(flat, 0.25).item<double>(), 0, 1e-12);
  EXPECT_NEAR(high_frequency_share(checker.view({1, 1, 8, 8}), 0.25).item<double>(), 1, 1e-12);
  // A cosine along one axis at f = 3/8: radius 0.375 > 0.25 (high), though its square 0.14 is not.
  const at::Tensor wave = torch::cos(2 * M_PI * 0.375 * torch::arange(8, torch::kFloat64)).view({1, 1, 1, 8}).expand({1, 1, 8, 8});
  EXPECT_NEAR(high_frequency_share(wave.contiguous(), 0.25).item<double>(), 1, 1e-12);
  EXPECT_NEAR(high_frequency_share(wave.contiguous(), 0.4).item<double>(), 0, 1e-12);
}

// The closed-form NTK of the symmetric net equals the Jacobian contraction by autograd.
TEST(FeaturePurificationProbes, ClosedFormNtkMatchesAutograd) {
  SymmetricReluOptions o;
  o.input_dim = 12;
  o.width = 9;
  o.init_std = 1;
  o.threshold = 0.2;
  at::Generator gen = make_generator(7);
  SymmetricRelu net(o, gen);
  const at::Tensor x1 = torch::randn({5, 12}, gen), x2 = torch::randn({7, 12}, gen);
  const at::Tensor closed = symmetric_relu_ntk(net, x1, x2);
  const at::Tensor autograd = empirical_ntk(torch::nn::AnyModule(net), x1, x2, NtkForm::Trace);
  EXPECT_TRUE(torch::allclose(closed, autograd.to(closed.scalar_type()), 1e-4, 1e-4));
  EXPECT_GT(closed.abs().sum().item<double>(), 0);  // some neurons are switched on
  // Threshold 0 and one neuron: the net is the linear model <w, x>.
  o.width = 1;
  o.threshold = 0;
  SymmetricRelu linear(o, gen);
  EXPECT_TRUE(torch::allclose(linear->forward(x1), x1.matmul(linear->weight[0]), 1e-5, 1e-5));
}

// (1 + <x, x'>)^2 = <phi(x), phi(x')> with phi(x) = (1, sqrt(2) x, vec(x x^T)).
TEST(FeaturePurificationProbes, PolynomialKernelIsItsFeatureMap) {
  at::Generator gen = make_generator(8);
  const at::Tensor x1 = torch::randn({4, 5}, gen, torch::kFloat64), x2 = torch::randn({3, 5}, gen, torch::kFloat64);
  const auto phi = [](const at::Tensor& x) {
    return torch::cat({torch::ones({x.size(0), 1}, x.options()), std::sqrt(2.0) * x,
                       (x.unsqueeze(2) * x.unsqueeze(1)).flatten(1)},
                      1);
  };
  EXPECT_TRUE(torch::allclose(polynomial_kernel(x1, x2, 2, 1), phi(x1).matmul(phi(x2).t()), 1e-10, 1e-10));
}

TEST(FeaturePurificationClaims, HoldOnEverySeed) {
  const auto results = run_study_seeds("feature-purification", kTestSize);
  expect_claims_hold(results);
  for (const auto& r : results) {
    ASSERT_NE(r.find_table("neurons"), nullptr);
    ASSERT_NE(r.find_table("purification_histogram"), nullptr);
    EXPECT_EQ(r.find_table("neurons")->rows.size(), 2u * 128u);  // fgm and pgd, every neuron
  }
}

// A teacher on 2 atoms has no dense direction: the clean net learns those atoms robustly (claim 1
// fails), and the linear classifier on them is robust too (the lower bound fails).
TEST(FeaturePurificationClaims, CleanNetIsRobustWithoutADenseTeacher) {
  const auto r = run_study("feature-purification", with({"data.teacher_support=2"}));
  // It fails because the clean net is robust, not because it learned nothing.
  const Table* summary = r.find_table("purification");
  ASSERT_NE(summary, nullptr);
  EXPECT_EQ(summary->text(0, "training"), "clean");
  EXPECT_GE(summary->number(0, "clean"), 0.95);
  EXPECT_GT(summary->number(0, "robust_at_tau"), 0.5);
  EXPECT_FALSE(claim_named(r, "clean training is accurate and breaks").pass)
      << claim_named(r, "clean training is accurate and breaks").measured;
  EXPECT_FALSE(claim_named(r, "low-complexity models").pass) << claim_named(r, "low-complexity models").measured;
}

// With eps = 0 "adversarial" training is more clean training: not robust, nothing purified.
TEST(FeaturePurificationClaims, AdversarialClaimsFailWithoutAPerturbation) {
  const auto r = run_study("feature-purification", with({"adversarial.eps=1e-9"}));
  EXPECT_FALSE(claim_named(r, "adversarial training from the clean weights").pass);
  EXPECT_FALSE(claim_named(r, "adversarial training purifies").pass)
      << claim_named(r, "adversarial training purifies").measured;
}

// From a large init the weights barely move in direction (the lazy regime): claim 4 fails.
TEST(FeaturePurificationClaims, FarFromInitFailsInTheLazyRegime) {
  const auto r = run_study("feature-purification", with({"model.init_std=0.3"}));
  EXPECT_FALSE(claim_named(r, "weights travel far").pass) << claim_named(r, "weights travel far").measured;
}

// The real-image part at a tiny size: a Fashion-MNIST MLP trained cleanly, then adversarially from
// the clean weights. Adversarial training raises robust accuracy at eps well above clean
// training's, keeps most of each first-layer neuron, and the weights are drawn before and after.
TEST(FeaturePurificationImages, AdversarialTrainingFromTheCleanWeightsOnFashionMnist) {
  std::vector<std::string> sets = kTestSize;
  sets.erase(sets.begin());  // images.enabled=false
  for (const std::string& s :
       {"images.data.train_size=2000", "images.data.validation_size=200", "images.data.test_size=300",
        "images.model.hidden=[64]", "images.train.epochs=3", "images.adversarial_epochs=2",
        "images.adversarial.steps=3", "images.pgd_steps=5", "images.shown_neurons=2"})
    sets.push_back(s);
  const auto r = run_study("feature-purification", sets);
  const Table* measures = r.find_table("images_purification");
  ASSERT_NE(measures, nullptr);
  std::map<std::string, double> m;
  for (size_t i = 0; i < measures->rows.size(); ++i) m[measures->text(i, "measure")] = measures->number(i, "value");
  EXPECT_GT(m.at("robust accuracy at eps, adversarial training"), m.at("robust accuracy at eps, clean training") + 0.1);
  for (const auto& [measure, value] : m) {
    EXPECT_GE(value, 0) << measure;
    EXPECT_LE(value, 1) << measure;
  }
  EXPECT_TRUE(claim_named(r, "images: adversarial training keeps most").pass)
      << claim_named(r, "images: adversarial training keeps most").measured;
  // ... and yet the weights moved: the before and after pictures differ.
  EXPECT_GT(m.at("median |v_i| / |beta_i w_i'|"), 0.01);
  ASSERT_NE(r.find_table("images_first_layer"), nullptr);
  EXPECT_EQ(r.find_table("images_first_layer")->rows.size(), 2u * 2u * 28u * 28u);  // 2 neurons, before and after
}
