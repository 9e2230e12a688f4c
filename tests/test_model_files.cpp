// Model and checkpoint files from anywhere: every crafted file (tests/craft_model_files.py: edited
// sizes, strides and offsets, short records, stack-breaking pickles, zip bombs) is refused with a
// line naming the file, in-process and by `robustlab attack`; a model with NaN weights is refused;
// a valid file still loads.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_runner.h"
#include "models/image/image_classifier.h"
#include "models/model_file.h"
#include "models/state_file.h"
#include "runtime/random.h"
#include "runtime/user_error.h"

namespace fs = std::filesystem;
using namespace robustlab;

namespace {

// Crafted once per test binary by Debian's python3-torch.
const std::string& crafted_dir() {
  static const std::string dir = [] {
    const std::string d = ::testing::TempDir() + "robustlab_crafted_models";
    fs::remove_all(d);
    const std::string script = std::string(ROBUSTLAB_SOURCE_DIR) + "/tests/craft_model_files.py";
    const Result r = run_command("/usr/bin/python3 " + script + " " + d);
    EXPECT_EQ(r.code, 0) << r.output;
    return d;
  }();
  return dir;
}

ImageClassifier small_model() {
  ImageModelSpec spec;
  spec.architecture = "mlp";
  spec.input_shape = {1, 28, 28};
  spec.outputs = 10;
  spec.hidden = {8};
  spec.channel_mean = {0.3};
  spec.channel_std = {0.3};
  at::Generator gen = make_generator(0);
  return ImageClassifier(spec, gen);
}

}  // namespace

TEST(ModelFiles, EveryCraftedFileIsRefusedInProcessWithALineNamingIt) {
  int refused = 0;
  for (const auto& entry : fs::directory_iterator(crafted_dir())) {
    const std::string path = entry.path().string();
    if (entry.path().filename() == "valid.pt") {
      const StateFile file = load_state_file(path);
      EXPECT_EQ(state_tensors(file, "model", path).at("w").sum().item<double>(), 66.0);
      continue;
    }
    try {
      load_state_file(path);
      ADD_FAILURE() << path << " was loaded";
    } catch (const UserError& e) {
      const std::string message = e.what();
      EXPECT_EQ(message.rfind(path, 0), 0u) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
      ++refused;
    }
  }
  EXPECT_GE(refused, 30);
}

TEST(ModelFiles, TheAttackCommandRefusesThemWithExitTwoAndOneLine) {
  for (const char* name : {"size_beyond_storage", "record_truncated", "pickle_reduce_on_empty_stack",
                           "pickle_nested_a_million_deep", "zip_deflate_claims_4gb", "offset_beyond_storage"}) {
    const std::string path = crafted_dir() + "/" + name + ".pt";
    const Result r = run_robustlab("attack --model " + path + " --attack fgsm --eps 0.1 --examples 10 -q");
    EXPECT_EQ(r.code, 2) << name << ": " << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
    EXPECT_NE(r.output.find(path), std::string::npos) << r.output;
  }
}

TEST(ModelFiles, AModelWithNonFiniteWeightsIsRefused) {
  ImageClassifier model = small_model();
  {
    torch::NoGradGuard no_grad;
    model->classifier->weight[0][0] = std::numeric_limits<float>::quiet_NaN();
  }
  const std::string path = ::testing::TempDir() + "robustlab_nan_model.pt";
  save_state_file(path, model_file(model, {"fashion-mnist", {}}));
  const Result r = run_robustlab("attack --model " + path + " --attack fgsm --eps 0.1 --examples 10 -q");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("NaN or infinite"), std::string::npos) << r.output;
  // Finite weights in the same file load.
  {
    torch::NoGradGuard no_grad;
    model->classifier->weight[0][0] = 0.5f;
  }
  save_state_file(path, model_file(model, {"fashion-mnist", {}}));
  EXPECT_NO_THROW(load_model_file(path, torch::kCPU));
  fs::remove(path);
}
