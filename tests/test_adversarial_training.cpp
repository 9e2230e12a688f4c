// Adversarial training in the one loop: its loss pieces against their formulas, warm-up, the λ mix,
// that every method raises robust accuracy on a small problem, and the adversarial-training
// study's claims.
#include <gtest/gtest.h>

#include "config/config.h"
#include "fashion_mnist_mlp.h"
#include "data/images/image_datasets.h"
#include "data/images/splits.h"
#include "probes/accuracy.h"
#include "probes/robust_accuracy.h"
#include "runtime/random.h"
#include "runtime/user_error.h"
#include "experiment/image_task.h"
#include "attack_grid.h"
#include "run_study.h"
#include "train/adversarial_training.h"

using namespace robustlab;

TEST(AdversarialTrainingLoss, KlIsZeroAtTheCleanPointAndBinaryMatchesTwoClassSoftmax) {
  at::Generator gen = make_generator(1);
  const torch::Tensor logits = torch::randn({50, 5}, gen, torch::kFloat64);
  EXPECT_LT(prediction_kl(logits, logits).abs().max().item<double>(), 1e-12);
  const torch::Tensor other = torch::randn({50, 5}, gen, torch::kFloat64);
  EXPECT_GT(prediction_kl(logits, other).min().item<double>(), 0.0);  // Gibbs' inequality
  // A binary score f is the two-class softmax of logits (0, f).
  const torch::Tensor f = 3 * torch::randn({50}, gen, torch::kFloat64), g = 3 * torch::randn({50}, gen, torch::kFloat64);
  const torch::Tensor as_logits_f = torch::stack({torch::zeros_like(f), f}, 1);
  const torch::Tensor as_logits_g = torch::stack({torch::zeros_like(g), g}, 1);
  EXPECT_TRUE(torch::allclose(prediction_kl(f, g), prediction_kl(as_logits_f, as_logits_g), 1e-10, 1e-12));
}

TEST(AdversarialTrainingLoss, WarmupRisesLinearlyThenHolds) {
  AdversarialTraining a;
  a.method = "pgd";
  a.eps = 0.3;
  a.warmup_epochs = 2;
  EXPECT_DOUBLE_EQ(warmed_up_eps(a, 0, 10), 0.3 * 1 / 20);
  EXPECT_DOUBLE_EQ(warmed_up_eps(a, 9, 10), 0.3 * 10 / 20);
  EXPECT_DOUBLE_EQ(warmed_up_eps(a, 19, 10), 0.3);
  EXPECT_DOUBLE_EQ(warmed_up_eps(a, 500, 10), 0.3);
  a.warmup_epochs = 0;
  EXPECT_DOUBLE_EQ(warmed_up_eps(a, 0, 10), 0.3);
  a.mix = 1.5;
  EXPECT_THROW(check_adversarial_training(a), UserError);
  a.mix = 1;
  a.method = "pdg";
  EXPECT_THROW(check_adversarial_training(a), UserError);
}

namespace {
struct SmallTask {
  Dataset train, validation, test;
  ImageModelSpec spec;
  SmallTask() {
    const ImageData data = load_image_dataset("fashion-mnist", "");
    const Splits s = split_image_data(data, 2000, 200, 300);
    train = s.train;
    validation = s.validation;
    test = s.test;
    spec = fashion_mnist_mlp(data, 64);
  }
  TrainedClassifier fit(const AdversarialTraining& adversarial, const std::string& optimizer = "adam") const {
    TrainOptions o;
    o.optimizer = optimizer;
    o.lr = optimizer == "adam" ? 2e-3 : 0.5;
    o.epochs = optimizer == "adam" ? 4 : 0;
    o.steps = optimizer == "adam" ? 0 : 5;
    o.batch_size = 64;
    o.adversarial = adversarial;
    return train_image_classifier("net", spec, train, validation, o, RunContext{});
  }
  double robust(const ImageClassifier& net, double eps) const {
    ImageClassifier m = net;
    const Victim victim = make_victim([m](const torch::Tensor& x) mutable { return m->forward(x); }, Box{0, 1});
    const auto curve = robust_accuracy_curve("net", victim, test.inputs, test.labels,
                                             {attack_over("pgd-linf", 0.25, 10, RandomStart::Ball, {eps})}, 0);
    return curve.back().accuracy;
  }
};
}  // namespace

TEST(AdversarialTraining, MixZeroIsStandardTrainingExactly) {
  const SmallTask task;
  AdversarialTraining mix_zero;
  mix_zero.method = "pgd";
  mix_zero.eps = 0.1;
  mix_zero.steps = 3;
  mix_zero.mix = 0;
  const ImageClassifier standard = task.fit(AdversarialTraining{}, "gd").model;
  const ImageClassifier mixed = task.fit(mix_zero, "gd").model;
  for (size_t i = 0; i < standard->parameters().size(); ++i)
    EXPECT_TRUE(torch::equal(standard->parameters()[i], mixed->parameters()[i])) << i;
}

TEST(AdversarialTraining, EveryMethodRaisesRobustAccuracy) {
  const SmallTask task;
  const double eps = 0.1;
  const double standard = task.robust(task.fit(AdversarialTraining{}).model, eps);
  EXPECT_LT(standard, 0.35);  // measured 0.23: PGD breaks most of a normally trained net
  for (const char* method : {"pgd", "fast", "trades", "one-step"}) {
    AdversarialTraining a;
    a.method = method;
    a.eps = eps;
    a.steps = 5;
    a.beta = 3;
    a.box = Box{0, 1};
    const double robust = task.robust(task.fit(a).model, eps);
    EXPECT_GT(robust, standard + 0.2) << method << ": " << robust << " against standard " << standard;
  }
}


namespace {
StudyResult run_adversarial_study(const std::vector<std::string>& sets) {
  return run_study("adversarial-training", sets);
}
// The study's defaults (lr 0.05 with a one-epoch warm-up), on fewer images and epochs and with a
// lighter evaluation: one seed takes ~50 s on one thread. Batches of 64 give the 4 epochs the steps
// the default's 5 epochs on 10000 images have (372 against 390): in batches of 128 the standard net
// stopped at 0.78-0.82 clean accuracy, smooth enough to keep 0.12-0.20 at eps 0.1, and the claims
// failed on seeds 4 and 8 of 0-9; in batches of 64 it keeps 0.07-0.14, and the gain is 0.44-0.52.
const std::vector<std::string> kSmall = {"data.train_size=6000", "data.validation_size=300", "data.test_size=300",
                                         "train.epochs=4",        "train.batch_size=64",       "attack.queries=100",
                                         "attack.steps=10"};
}  // namespace

TEST(AdversarialTrainingClaims, HoldOnEverySeedAndNothingIsMasked) {
  const auto results = run_study_seeds("adversarial-training", kSmall);
  expect_claims_hold(results);
  for (const auto& r : results) {
    for (const auto& w : r.warnings) ADD_FAILURE() << "seed " << r.seed << " warning: " << w.text;
    ASSERT_EQ(r.models.size(), 2u);
    EXPECT_LT(r.models[1].clean_accuracy, r.models[0].clean_accuracy) << r.seed;  // robustness costs clean accuracy
  }
}

TEST(AdversarialTrainingClaims, ACollapsedNetIsAClaimFailureNotAMaskingWarning) {
  // A learning rate far too large kills every ReLU: the net answers one class whatever the input.
  std::vector<std::string> sets = {"data.train_size=2000", "data.validation_size=100", "data.test_size=200",
                                   "train.epochs=1", "train.lr=20", "train.warmup_epochs=0",
                                   "attack.queries=20", "attack.steps=3"};
  const StudyResult r = run_adversarial_study(sets);
  EXPECT_FALSE(r.all_claims_pass());
  const Claim& learned = claim_named(r, "every net learned the task");
  EXPECT_FALSE(learned.pass);
  EXPECT_NE(learned.measured.find("net collapsed: clean accuracy at chance"), std::string::npos) << learned.measured;
  for (const auto& w : r.warnings)  // one warning per collapsed net, none of the masking checks
    EXPECT_EQ(w.kind, warning_kind::kCollapsed) << w.text;
  EXPECT_FALSE(r.warnings.empty());
}

TEST(AdversarialTrainingClaims, FailWithoutRealAdversarialTraining) {
  // ε_train = 0.001 is standard training in all but name: the robustness claim must fail.
  std::vector<std::string> sets = {"data.train_size=2000", "data.validation_size=100", "data.test_size=100",
                                   "train.epochs=2", "attack.queries=20", "attack.steps=5"};
  sets.push_back("adversarial.eps=0.001");
  sets.push_back("verify.max_auto_gap=1");
  EXPECT_THROW(run_adversarial_study(sets), UserError);  // the grid lacks eps 0.001: said, not guessed
  sets.push_back("attack.eps=[0.001, 0.1]");
  const StudyResult r = run_adversarial_study(sets);
  EXPECT_FALSE(r.all_claims_pass());
}
