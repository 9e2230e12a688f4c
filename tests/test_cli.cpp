// The robustlab command end to end: exit codes, one-line errors, the output contract, reruns.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "small_study.h"

namespace fs = std::filesystem;

namespace {
std::string small_sets() {
  std::string s;
  for (const auto& kv : small_feature_averaging()) s += " --set " + kv;
  return s;
}

}  // namespace

TEST(Cli, ListShowsEveryKindOneLineEach) {
  const Result r = run_robustlab("list");
  EXPECT_EQ(r.code, 0);
  for (const char* word : {"study    feature-averaging", "attack   pgd-l2", "attack   pgd-linf", "attack   fgsm",
                           "attack   fgm", "attack   feature-average", "attack   apgd-ce", "attack   apgd-t",
                           "attack   square", "attack   auto", "study    adversarial-training", "model", "dataset", "probe"})
    EXPECT_NE(r.output.find(word), std::string::npos) << word;
}

TEST(Cli, VerifyWritesTheOutputContractAndTheConfigReproducesIt) {
  const std::string dir = fresh_dir("verify");
  const Result r = run_robustlab("verify feature-averaging -q --seed 7 --threads 1 --out " + dir + small_sets());
  ASSERT_EQ(r.code, 0) << r.output;
  for (const char* f : {"config.toml", "results.json", "robust_accuracy.csv", "cosine_binary.csv",
                        "cosine_decoupled.csv", "report.md", "robust_accuracy.png", "robust_accuracy.svg",
                        "cosine_binary.png", "cosine_decoupled.svg"})
    EXPECT_TRUE(fs::exists(dir + "/" + f)) << f;
  const auto results = read_json(dir + "/results.json");
  EXPECT_EQ(results["study"], "feature-averaging");
  EXPECT_EQ(results["seed"], 7);
  EXPECT_TRUE(results["models"]["binary"].contains("critical_radius"));
  EXPECT_TRUE(results["all_claims_pass"].get<bool>());
  std::ifstream csv(dir + "/robust_accuracy.csv");
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header.rfind("model,attack,norm,eps,accuracy", 0), 0u);

  // Re-running the written config gives the same numbers.
  const std::string again = fresh_dir("again");
  ASSERT_EQ(run_robustlab("run " + dir + "/config.toml -q --threads 1 --out " + again).code, 0);
  const auto rerun = read_json(again + "/results.json");
  EXPECT_EQ(rerun["models"], results["models"]);
  EXPECT_EQ(rerun["claims"], results["claims"]);
  std::ifstream a(dir + "/robust_accuracy.csv"), b(again + "/robust_accuracy.csv");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(a), {}), std::string(std::istreambuf_iterator<char>(b), {}));
}

TEST(Cli, VerifyExitsOneWhenAClaimFails) {
  const std::string dir = fresh_dir("fails");
  const Result r = run_robustlab("verify feature-averaging -q --set train.lr=0 --out " + dir + small_sets());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_FALSE(read_json(dir + "/results.json")["all_claims_pass"].get<bool>());
}

TEST(Cli, BadInputIsOneLineAndWritesNothing) {
  const std::string dir = fresh_dir("bad");
  for (const std::string& args :
       {"run feature-averaging --set data.kk=3", "run feature-averaging --set attack.eps=-2",
        "run feature-averaging --set data.k=x", "run no-such-study", "run /nonexistent/cfg.toml",
        "run feature-averaging --device tpu", "run feature-averaging --set attack.names=pgd-l7"}) {
    const Result r = run_robustlab(args + " --out " + dir);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << args << ": " << r.output;
    EXPECT_EQ(r.output.rfind("robustlab: ", 0), 0u) << r.output;
    EXPECT_FALSE(fs::exists(dir)) << args;
  }
}

TEST(Cli, RefusesToOverwriteARun) {
  const std::string dir = fresh_dir("exists");
  fs::create_directories(dir);
  std::ofstream(dir + "/keep.txt") << "mine";
  const Result r = run_robustlab("run feature-averaging -q --out " + dir + small_sets());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("already exists"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir + "/keep.txt"));
}
