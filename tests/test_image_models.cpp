// Image classifiers: shapes, seeded initialisation, gradients against finite differences, the
// binary readout against its definition, and weight files (Python-readable, errors on mismatch).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "models/binary_readout.h"
#include "models/image/image_classifier.h"
#include "runtime/random.h"
#include "runtime/user_error.h"
#include "models/state_file.h"

namespace {

robustlab::ImageModelSpec spec_for(const std::string& architecture, int64_t outputs, int64_t side = 28,
                                   int64_t channels = 1) {
  robustlab::ImageModelSpec s;
  s.architecture = architecture;
  s.input_shape = {channels, side, side};
  s.outputs = outputs;
  s.hidden = {32, 16};
  s.channel_mean.assign(channels, 0.3);
  s.channel_std.assign(channels, 0.2);
  return s;
}

robustlab::ImageClassifier make(const robustlab::ImageModelSpec& s, uint64_t seed) {
  at::Generator gen = robustlab::make_generator(seed);
  return robustlab::ImageClassifier(s, gen);
}

}  // namespace

TEST(ImageClassifier, OutputShapesForEveryArchitecture) {
  for (const auto& [arch, side, channels] : {std::tuple{"mlp", 28, 1}, {"small-cnn", 28, 1}, {"small-cnn", 32, 3},
                                             {"resnet18", 32, 3}}) {
    auto multi = make(spec_for(arch, 10, side, channels), 0);
    auto binary = make(spec_for(arch, 1, side, channels), 0);
    multi->eval();
    binary->eval();
    const torch::Tensor x = torch::rand({2, channels, side, side});
    EXPECT_EQ(multi->forward(x).sizes(), (std::vector<int64_t>{2, 10})) << arch;
    EXPECT_EQ(binary->forward(x).sizes(), (std::vector<int64_t>{2})) << arch;
  }
}

TEST(ImageClassifier, TheSeedFixesTheInitialWeights) {
  auto a = make(spec_for("small-cnn", 10), 5), b = make(spec_for("small-cnn", 10), 5), c = make(spec_for("small-cnn", 10), 6);
  const auto pa = a->parameters(), pb = b->parameters(), pc = c->parameters();
  for (size_t i = 0; i < pa.size(); ++i) EXPECT_TRUE(torch::equal(pa[i], pb[i]));
  EXPECT_FALSE(torch::equal(pa[0], pc[0]));
  // PyTorch's default scale: |w| <= 1/sqrt(fan_in) (first conv: fan_in = 1·5·5).
  EXPECT_LE(pa[0].abs().max().item<double>(), 1.0 / 5.0 + 1e-7);
}

// The input gradient the attacks use, against central differences, in float64.
TEST(ImageClassifier, InputGradientMatchesFiniteDifferences) {
  for (const char* arch : {"mlp", "small-cnn"}) {
    auto model = make(spec_for(arch, 10, 16), 1);
    model->to(torch::kFloat64);
    model->eval();
    at::Generator gen = robustlab::make_generator(2);
    const torch::Tensor x = torch::rand({1, 1, 16, 16}, gen).to(torch::kFloat64).requires_grad_(true);
    const torch::Tensor w = torch::randn({10}, gen).to(torch::kFloat64);  // a fixed linear functional of the logits
    (model->forward(x).squeeze(0) * w).sum().backward();
    const torch::Tensor g = x.grad().flatten();
    for (int64_t i : {0, 37, 100, 255}) {
      const double h = 1e-6;
      torch::Tensor xp = x.detach().clone(), xm = x.detach().clone();
      xp.view(-1)[i] += h;
      xm.view(-1)[i] -= h;
      const double fd = ((model->forward(xp).squeeze(0) * w).sum() - (model->forward(xm).squeeze(0) * w).sum()).item<double>() / (2 * h);
      EXPECT_NEAR(g[i].item<double>(), fd, 1e-6 * std::max(1.0, std::abs(fd))) << arch << " pixel " << i;
    }
  }
}

TEST(BinaryReadout, IsTheLogRatioOfMergedClassProbabilities) {
  const torch::Tensor z = torch::randn({5, 6}, torch::kFloat64);
  const torch::Tensor positive = torch::tensor({true, false, true, false, false, true});
  const torch::Tensor p = torch::softmax(z, 1);
  const torch::Tensor expected = p.index({torch::indexing::Slice(), positive}).sum(1).log() -
                                 p.index({torch::indexing::Slice(), positive.logical_not()}).sum(1).log();
  EXPECT_TRUE(torch::allclose(robustlab::binary_readout(z, positive), expected, 1e-12, 1e-12));
}

TEST(StateFile, RoundTripsAndRejectsMismatchedWeights) {
  auto model = make(spec_for("mlp", 10), 3);
  const std::string path = ::testing::TempDir() + "robustlab_state.pt";
  robustlab::save_state_file(path, robustlab::make_state_file(*model, {{"spec", model->spec.to_json()}}));
  const robustlab::StateFile file = robustlab::load_state_file(path);
  auto other = make(spec_for("mlp", 10), 4);
  robustlab::load_module_state(*other, robustlab::state_tensors(file, "model", path), path);
  for (size_t i = 0; i < model->parameters().size(); ++i)
    EXPECT_TRUE(torch::equal(model->parameters()[i], other->parameters()[i]));
  EXPECT_EQ(robustlab::state_text(file, "spec", path), model->spec.to_json());

  auto wider = make(spec_for("mlp", 12), 0);
  EXPECT_THROW(robustlab::load_module_state(*wider, robustlab::state_tensors(file, "model", path), path),
               robustlab::UserError);
  const std::string garbage = ::testing::TempDir() + "robustlab_garbage.pt";
  std::ofstream(garbage) << "not a checkpoint";
  EXPECT_THROW(robustlab::load_state_file(garbage), robustlab::UserError);
  EXPECT_THROW(robustlab::load_state_file(garbage + ".absent"), robustlab::UserError);
}

// The README's promise: Python's torch.load reads a robustlab model file as a state dict.
TEST(StateFile, PythonTorchLoadReadsTheStateDict) {
  auto model = make(spec_for("small-cnn", 10), 7);
  const std::string path = ::testing::TempDir() + "robustlab_python.pt";
  robustlab::save_state_file(path, robustlab::make_state_file(*model, {}));
  const std::string cmd = "/usr/bin/python3 -c \"import torch; sd = torch.load('" + path +
                          "')['model']; print(len(sd), '%.9e' % sd['classifier.bias'].double().sum().item())\" 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  char buf[4096] = {};
  const size_t n = fread(buf, 1, sizeof buf - 1, pipe);
  ASSERT_EQ(pclose(pipe), 0) << std::string(buf, n);
  int count = 0;
  double bias_sum = 0;
  ASSERT_EQ(std::sscanf(buf, "%d %lf", &count, &bias_sum), 2) << buf;
  EXPECT_EQ(count, static_cast<int>(model->named_parameters().size() + model->named_buffers().size()));
  EXPECT_NEAR(bias_sum, model->classifier->bias.to(torch::kFloat64).sum().item<double>(), 1e-7);
}
