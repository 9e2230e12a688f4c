// `robustlab train` and `robustlab attack` end to end on Fashion-MNIST: a run SIGKILLed at any
// moment resumes to the exact weights of an uninterrupted run; the attack command reproduces the
// training run's test accuracy at eps = 0; bad input is one line and exit 2 with nothing written.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "cli_runner.h"
#include "models/state_file.h"

namespace fs = std::filesystem;

namespace {

// Small enough for a test, long enough (several epochs of ~0.2 s) to be killed mid-run.
std::string small_config(const std::string& name) {
  const std::string path = ::testing::TempDir() + "robustlab_" + name + ".toml";
  write_text(path,
             "seed = 3\n[data]\ntrain_size = 3000\nvalidation_size = 500\ntest_size = 300\n"
             "[model]\narchitecture = \"small-cnn\"\n"
             "[train]\nepochs = 4\nbatch_size = 64\naugment = \"crop-flip\"\n");
  return path;
}

// Starts robustlab in the background; returns its pid.
pid_t spawn(const std::vector<std::string>& args) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv{const_cast<char*>(ROBUSTLAB_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    freopen("/dev/null", "w", stdout);
    execv(ROBUSTLAB_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

// Kills pid with SIGKILL once `ready` holds (or after the deadline); true if it was still running.
bool kill_when(pid_t pid, const std::function<bool()>& ready, double extra_seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!ready() && std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(extra_seconds));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

void expect_same_weights(const std::string& a, const std::string& b) {
  const auto wa = robustlab::state_tensors(robustlab::load_state_file(a), "model", a);
  const auto wb = robustlab::state_tensors(robustlab::load_state_file(b), "model", b);
  ASSERT_EQ(wa.size(), wb.size());
  for (const auto& item : wa) EXPECT_TRUE(torch::equal(item.value(), wb.at(item.key()))) << item.key();
}

}  // namespace

TEST(TrainCommand, KilledAtAnyMomentAndResumedEndsWithTheUninterruptedWeights) {
  const std::string config = small_config("kill");
  const std::string reference = fresh_dir("train_reference"), killed = fresh_dir("train_killed");
  const Result full = run_robustlab("train " + config + " -q --threads 2 --out " + reference);
  ASSERT_EQ(full.code, 0) << full.output;

  const std::vector<std::string> args{"train", config, "-q", "--threads", "2", "--out", killed, "--resume"};
  // Killed during start-up (before any checkpoint), then right after the first checkpoint lands,
  // then in the middle of a later epoch; each time the next run resumes from what is on disk.
  EXPECT_TRUE(kill_when(spawn(args), [] { return true; }, 0.3));
  EXPECT_TRUE(kill_when(spawn(args), [&] { return fs::exists(killed + "/checkpoint.pt"); }, 0.0));
  const auto first_checkpoint = fs::last_write_time(killed + "/checkpoint.pt");
  EXPECT_TRUE(kill_when(spawn(args), [&] { return fs::last_write_time(killed + "/checkpoint.pt") != first_checkpoint; }, 0.1));
  EXPECT_FALSE(fs::exists(killed + "/results.json"));  // nothing passes for a finished run
  EXPECT_FALSE(fs::exists(killed + "/model.pt"));

  const Result resumed = run_robustlab("train " + config + " --threads 2 --out " + killed + " --resume");
  ASSERT_EQ(resumed.code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("resumed after epoch"), std::string::npos) << resumed.output;
  expect_same_weights(reference + "/model.pt", killed + "/model.pt");
  EXPECT_EQ(read_json(reference + "/results.json")["test_accuracy"], read_json(killed + "/results.json")["test_accuracy"]);

  // The attack command rebuilds the model from its file alone and sees the same test examples.
  const std::string csv = fresh_dir("attack") + ".csv";
  const Result attacked = run_robustlab("attack --model " + reference + "/model.pt --attack pgd-linf --attack fgsm "
                                    "--eps 0,0.1 --examples 300 -q --out " + csv);
  ASSERT_EQ(attacked.code, 0) << attacked.output;
  std::ifstream in(csv);
  std::string line, clean, pgd, fgsm;
  while (std::getline(in, line)) {
    if (line.rfind("model,worst,linf,0,", 0) == 0) clean = line;
    if (line.rfind("model,pgd-linf,linf,0.1,", 0) == 0) pgd = line;
    if (line.rfind("model,fgsm,linf,0.1,", 0) == 0) fgsm = line;
  }
  auto accuracy_of = [](const std::string& row) {
    size_t at = 0;
    for (int i = 0; i < 4; ++i) at = row.find(',', at) + 1;
    return std::stod(row.substr(at));
  };
  ASSERT_FALSE(clean.empty() || pgd.empty() || fgsm.empty());
  EXPECT_NEAR(accuracy_of(clean), read_json(reference + "/results.json")["test_accuracy"].get<double>(), 1e-9);  // CSV precision
  EXPECT_LT(accuracy_of(pgd), accuracy_of(clean));
  EXPECT_LE(accuracy_of(pgd), accuracy_of(fgsm) + 0.02);  // PGD at least about as strong as one step

  // auto on the same model: at least as strong as PGD; impossible targeted attacks are refused.
  const std::string auto_csv = fresh_dir("attack_auto") + ".csv";
  const Result automatic = run_robustlab("attack --model " + reference + "/model.pt --attack auto --eps 0.1 --steps 10 "
                                         "--targets 2 --queries 50 --examples 300 -q --out " + auto_csv);
  ASSERT_EQ(automatic.code, 0) << automatic.output;
  std::ifstream auto_in(auto_csv);
  std::string auto_row;
  while (std::getline(auto_in, line))
    if (line.rfind("model,auto,linf,0.1,", 0) == 0) auto_row = line;
  ASSERT_FALSE(auto_row.empty());
  EXPECT_LE(accuracy_of(auto_row), accuracy_of(pgd) + 0.01);
  const Result too_many = run_robustlab("attack --model " + reference + "/model.pt --attack apgd-t --targets 10 "
                                        "--eps 0.1 --steps 2 --examples 20 -q");
  EXPECT_EQ(too_many.code, 2);
  EXPECT_NE(too_many.output.find("below the class count 10"), std::string::npos) << too_many.output;
}

TEST(TrainCommand, BadInputIsOneLineExitTwoAndNothingWritten) {
  const std::string config = small_config("bad");
  const std::string out = fresh_dir("train_bad");
  auto one_line_error = [&](const std::string& args, const std::string& expected) {
    const Result r = run_robustlab(args);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_NE(r.output.find(expected), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
    EXPECT_FALSE(fs::exists(out));
  };
  one_line_error("train " + config + " --out " + out + " --set train.bogus=1", "train.bogus");
  one_line_error("train " + config + " --out " + out + " --set data.root=/nonexistent", "/nonexistent");
  one_line_error("train " + config + " --out " + out + " --set data.train_size=100000", "data.train_size");
  one_line_error("train missing.toml --out " + out, "missing.toml");
  one_line_error("attack --model " + out + "/model.pt --attack pgd-linf --eps 0.1", "file not found");
  one_line_error("attack --model x.pt --attack pgd-linf --eps -0.1", "negative");
  one_line_error("attack --model x.pt --attack pgd-cheese --eps 0.1", "unknown attack");
}
