// The training loop: optimisers learn, schedules follow their formulas, early stopping keeps the
// best epoch, and a run stopped after any epoch resumes to bit-identical weights.
#include <gtest/gtest.h>

#include <filesystem>

#include "models/classification.h"
#include "models/image/image_classifier.h"
#include "runtime/random.h"
#include "models/state_file.h"
#include "train/train.h"
#include "runtime/user_error.h"

namespace {

struct Problem {
  torch::Tensor x, y;
};

// Two classes of 8×8 images that differ in mean brightness.
Problem brightness_problem(int64_t n) {
  at::Generator gen = robustlab::make_generator(11);
  const torch::Tensor y = torch::randint(0, 2, {n}, gen, torch::kInt64);
  const torch::Tensor x = (0.35 + 0.3 * y.to(torch::kFloat32)).view({n, 1, 1, 1}) + 0.15 * torch::randn({n, 1, 8, 8}, gen);
  return {x.clamp(0, 1), y};
}

robustlab::ImageClassifier small_mlp(uint64_t seed) {
  robustlab::ImageModelSpec s;
  s.architecture = "mlp";
  s.input_shape = {1, 8, 8};
  s.outputs = 2;
  s.hidden = {16};
  s.channel_mean = {0.5};
  s.channel_std = {0.25};
  at::Generator gen = robustlab::make_generator(seed);
  return robustlab::ImageClassifier(s, gen);
}

std::vector<torch::Tensor> weights(robustlab::ImageClassifier m) {
  std::vector<torch::Tensor> w;
  for (const auto& p : m->parameters()) w.push_back(p.detach().clone());
  return w;
}

}  // namespace

TEST(Train, SgdAndAdamLearnAndTheScheduleFollowsItsFormula) {
  const Problem p = brightness_problem(512);
  for (const char* optimizer : {"sgd", "adam"}) {
    auto model = small_mlp(1);
    robustlab::TrainOptions o;
    o.optimizer = optimizer;
    o.lr = std::string(optimizer) == "sgd" ? 0.1 : 0.01;
    o.momentum = 0.9;
    o.weight_decay = 1e-4;
    o.epochs = 6;
    o.batch_size = 64;
    o.schedule = "cosine";
    at::Generator gen = robustlab::make_generator(2);
    const auto log = robustlab::train(torch::nn::AnyModule(model), p.x, p.y, o, gen, "test");
    ASSERT_EQ(log.epochs.size(), 6u);
    EXPECT_EQ(log.loss.size(), 6u * 8u);  // 512 / 64 steps per epoch
    EXPECT_LT(log.epochs.back().train_loss, 0.5 * log.epochs.front().train_loss) << optimizer;
    for (const auto& e : log.epochs)  // lr_e = lr (1 + cos(pi (e-1) / E)) / 2
      EXPECT_NEAR(e.lr, o.lr * 0.5 * (1 + std::cos(M_PI * (e.epoch - 1) / 6.0)), 1e-12);
  }
  robustlab::TrainOptions step;
  step.optimizer = "sgd";
  step.lr = 0.1;
  step.epochs = 5;
  step.schedule = "step";
  step.schedule_step = 2;
  step.schedule_gamma = 0.5;
  auto model = small_mlp(1);
  // on_epoch: once per epoch, numbered from 1, in eval mode, after the epoch's steps.
  std::vector<int64_t> epochs_seen;
  std::vector<std::vector<torch::Tensor>> after_epoch;
  step.on_epoch = [&](int64_t epoch) {
    EXPECT_FALSE(model->is_training());
    epochs_seen.push_back(epoch);
    after_epoch.push_back(weights(model));
  };
  at::Generator gen = robustlab::make_generator(2);
  const auto log = robustlab::train(torch::nn::AnyModule(model), p.x, p.y, step, gen, "test");
  const double expected[] = {0.1, 0.1, 0.05, 0.05, 0.025};
  for (int e = 0; e < 5; ++e) EXPECT_DOUBLE_EQ(log.epochs[e].lr, expected[e]);
  EXPECT_EQ(epochs_seen, (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_FALSE(torch::equal(after_epoch[0][0], after_epoch[1][0]));  // steps ran between the calls
  EXPECT_TRUE(torch::equal(after_epoch[4][0], weights(model)[0]));   // the last one sees the final weights
}

TEST(Train, EarlyStoppingEndsAtPatienceWithTheBestEpochsWeights) {
  const Problem p = brightness_problem(256);
  auto model = small_mlp(3);
  const std::vector<double> metric = {0.5, 0.7, 0.6, 0.65, 0.9, 0.95};  // best at epoch 2, then 2 worse
  std::vector<std::vector<torch::Tensor>> seen;
  robustlab::TrainOptions o;
  o.optimizer = "sgd";
  o.lr = 0.05;
  o.epochs = 6;
  o.batch_size = 64;
  o.patience = 2;
  o.validate = [&] {
    seen.push_back(weights(model));
    return metric[seen.size() - 1];
  };
  at::Generator gen = robustlab::make_generator(4);
  const auto log = robustlab::train(torch::nn::AnyModule(model), p.x, p.y, o, gen, "test");
  EXPECT_TRUE(log.stopped_early);
  EXPECT_EQ(log.epochs.size(), 4u);
  EXPECT_EQ(log.best_epoch, 2);
  const auto final_weights = weights(model);
  for (size_t i = 0; i < final_weights.size(); ++i) EXPECT_TRUE(torch::equal(final_weights[i], seen[1][i]));
  EXPECT_FALSE(torch::equal(final_weights[0], seen[3][0]));
}

// A run interrupted after epoch 2 (here by an exception, in test_train_command.cpp by SIGKILL)
// and resumed from its checkpoint ends with exactly the weights of the uninterrupted run:
// model, Adam moments, generator (shuffling and augmentation) and loop state all come back.
TEST(Train, ResumeFromACheckpointIsBitIdentical) {
  const Problem p = brightness_problem(256);
  const std::string path = ::testing::TempDir() + "robustlab_resume.pt";
  std::filesystem::remove(path);
  auto options = [&](std::function<double()> validate) {
    robustlab::TrainOptions o;
    o.optimizer = "adam";
    o.lr = 0.01;
    o.epochs = 5;
    o.batch_size = 32;
    o.schedule = "cosine";
    o.augment = [](const torch::Tensor& x, at::Generator& g) { return x + 0.01 * torch::randn(x.sizes(), g); };
    o.validate = validate;
    o.checkpoint_path = path;
    o.resume = true;
    o.checkpoint_texts = {{"config", "the same"}};
    return o;
  };
  auto reference = small_mlp(9);
  at::Generator ref_gen = robustlab::make_generator(10);
  robustlab::train(torch::nn::AnyModule(reference), p.x, p.y, options([] { return 0.5; }), ref_gen, "test");
  std::filesystem::remove(path);

  auto interrupted = small_mlp(9);
  at::Generator gen = robustlab::make_generator(10);
  int epochs_seen = 0;
  EXPECT_THROW(robustlab::train(torch::nn::AnyModule(interrupted), p.x, p.y, options([&] {
                                  if (++epochs_seen == 3) throw std::runtime_error("killed");
                                  return 0.5;
                                }),
                                gen, "test"),
               std::runtime_error);
  auto resumed = small_mlp(123);  // a different init: everything must come from the checkpoint
  at::Generator fresh = robustlab::make_generator(999);
  const auto log = robustlab::train(torch::nn::AnyModule(resumed), p.x, p.y, options([] { return 0.5; }), fresh, "test");
  EXPECT_EQ(log.resumed_from_epoch, 2);
  EXPECT_EQ(log.epochs.size(), 5u);
  const auto a = weights(reference), b = weights(resumed);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i], b[i])) << "parameter " << i;

  robustlab::TrainOptions other = options([] { return 0.5; });
  other.checkpoint_texts = {{"config", "another"}};
  EXPECT_THROW(robustlab::train(torch::nn::AnyModule(resumed), p.x, p.y, other, fresh, "test"), robustlab::UserError);
}

TEST(Train, AResumedEarlyStoppedRunStaysStopped) {
  const Problem p = brightness_problem(256);
  const std::string path = ::testing::TempDir() + "robustlab_stopped.pt";
  std::filesystem::remove(path);
  auto options = [&] {
    robustlab::TrainOptions o;
    o.optimizer = "sgd";
    o.lr = 0.05;
    o.epochs = 6;
    o.batch_size = 64;
    o.patience = 1;
    int calls = 0;
    o.validate = [calls]() mutable { return 1.0 / ++calls; };  // worse every epoch: stops after 2
    o.checkpoint_path = path;
    o.resume = true;
    return o;
  };
  auto model = small_mlp(5);
  at::Generator gen = robustlab::make_generator(6);
  const auto first = robustlab::train(torch::nn::AnyModule(model), p.x, p.y, options(), gen, "test");
  ASSERT_TRUE(first.stopped_early);
  auto again = small_mlp(5);
  const auto resumed = robustlab::train(torch::nn::AnyModule(again), p.x, p.y, options(), gen, "test");
  EXPECT_TRUE(resumed.stopped_early);
  EXPECT_EQ(resumed.epochs.size(), first.epochs.size());
  std::filesystem::remove(path);
}
