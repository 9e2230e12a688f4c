// The same numbers whatever the thread count where the kernels allow it, and otherwise the same
// numbers from the same config: a run records its thread count, and re-running its config.toml
// reproduces it bit for bit; the kernels a run asks for are the ones it gets.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_runner.h"
#include "models/state_file.h"
#include "runtime/blas_kernels.h"
#include "runtime/onednn.h"
#include "small_study.h"

namespace fs = std::filesystem;

namespace {

std::string text_of(const std::string& path) {
  std::stringstream s;
  s << std::ifstream(path).rdbuf();
  return s.str();
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

TEST(Reproducibility, AStudyGivesTheSameBitsAtOneAndTwoThreads) {
  // feature-averaging's products run on one OpenBLAS thread and its reductions along dimensions:
  // nothing in it depends on the thread count.
  std::string sets;
  for (const auto& kv : small_feature_averaging()) sets += " --set " + kv;
  const std::string one = fresh_dir("threads1"), two = fresh_dir("threads2");
  ASSERT_EQ(run_robustlab("run feature-averaging -q --threads 1 --out " + one + sets).code, 0);
  ASSERT_EQ(run_robustlab("run feature-averaging -q --threads 2 --out " + two + sets).code, 0);
  EXPECT_EQ(text_of(one + "/robust_accuracy.csv"), text_of(two + "/robust_accuracy.csv"));
  EXPECT_EQ(text_of(one + "/cosine_binary.csv"), text_of(two + "/cosine_binary.csv"));
  EXPECT_EQ(read_json(one + "/results.json")["models"], read_json(two + "/results.json")["models"]);
  EXPECT_NE(text_of(one + "/config.toml").find("\nthreads = 1 "), std::string::npos);
  EXPECT_NE(text_of(two + "/config.toml").find("\nthreads = 2 "), std::string::npos);
  EXPECT_EQ(read_json(two + "/results.json")["runtime"]["torch_threads"], 2);
  fs::remove_all(one);
  fs::remove_all(two);
}

TEST(Reproducibility, TrainingRecordsItsThreadCountAndItsConfigReproducesIt) {
  const std::string config = ::testing::TempDir() + "robustlab_threads_train.toml";
  write_text(config, "[data]\ntrain_size = 1500\nvalidation_size = 300\ntest_size = 300\n"
                     "[model]\narchitecture = \"mlp\"\nhidden = [64]\n[train]\nepochs = 2\n");
  const std::string one = fresh_dir("train_threads1"), two = fresh_dir("train_threads2"), again = fresh_dir("train_again");
  ASSERT_EQ(run_robustlab("train " + config + " -q --threads 1 --out " + one).code, 0);
  ASSERT_EQ(run_robustlab("train " + config + " -q --threads 2 --out " + two).code, 0);
  // The data's normalisation is the same to the last bit at any thread count.
  auto spec_of = [](const std::string& dir) {
    const auto file = robustlab::load_state_file(dir + "/model.pt");
    return nlohmann::json::parse(robustlab::state_text(file, "spec", dir));
  };
  EXPECT_EQ(spec_of(one)["channel_mean"], spec_of(two)["channel_mean"]);
  EXPECT_EQ(spec_of(one)["channel_std"], spec_of(two)["channel_std"]);
  // The run's config records its thread count, so running it again gives the same weights, on any machine.
  ASSERT_NE(text_of(two + "/config.toml").find("\nthreads = 2 "), std::string::npos);
  ASSERT_EQ(run_robustlab("train " + two + "/config.toml -q --out " + again).code, 0);
  const auto a = robustlab::state_tensors(robustlab::load_state_file(two + "/model.pt"), "model", two);
  const auto b = robustlab::state_tensors(robustlab::load_state_file(again + "/model.pt"), "model", again);
  for (const auto& item : a) EXPECT_TRUE(torch::equal(item.value(), b.at(item.key()))) << item.key();
  // Resuming with another thread count continues, and says the weights may differ in their last bits.
  const Result resumed = run_robustlab("train " + config + " --threads 1 --resume --out " + two);
  EXPECT_EQ(resumed.code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("another thread count"), std::string::npos) << resumed.output;
  for (const auto& d : {one, two, again}) fs::remove_all(d);
  fs::remove(config);
}

// Run in every kernel-variant test entry (tests/CMakeLists.txt): the restriction asked for through
// the environment is in force, so the claim tests there really ran on other kernels.
TEST(KernelSettings, TheKernelsAskedForAreTheOnesRunning) {
  if (const char* isa = std::getenv("ONEDNN_MAX_CPU_ISA")) {
    const std::string running = robustlab::onednn_isa();
    EXPECT_EQ(running, lower(isa)) << "oneDNN runs " << running << " though capped at " << isa;
  } else {
    EXPECT_NE(robustlab::onednn_isa(), "");
  }
  if (const char* core = std::getenv("OPENBLAS_CORETYPE")) {
    EXPECT_EQ(lower(robustlab::blas_core_name()), lower(core));
  } else if (robustlab::cpu_vector_isa() != "sse" && !std::getenv("ROBUSTLAB_BLAS_TUNING")) {
    // Left alone, robustlab moves OpenBLAS off its SSE3 fallback on a CPU it does not know.
    EXPECT_NE(robustlab::blas_core_name(), "Prescott");
  }
}
