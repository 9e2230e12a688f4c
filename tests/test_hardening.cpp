// Bad and hostile input, class by class: nothing crashes, nothing is allocated that cannot fit,
// nothing is truncated silently, and nothing that is not a robustlab run is ever deleted or
// overwritten. Every refusal is one line on stderr and exit code 2.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "cli_runner.h"
#include "data/images/idx_file.h"
#include "models/state_file.h"
#include "runtime/user_error.h"

namespace fs = std::filesystem;

namespace {

// A refusal: exit 2, one line starting "robustlab: ", containing `expected`.
void expect_refused(const Result& r, const std::string& expected, const std::string& what) {
  EXPECT_EQ(r.code, 2) << what << ": " << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << what << ": " << r.output;
  EXPECT_EQ(r.output.rfind("robustlab: ", 0), 0u) << what << ": " << r.output;
  EXPECT_NE(r.output.find(expected), std::string::npos) << what << ": " << r.output;
}

std::string small_fa() {
  return " --set data.d=64 --set data.train_per_cluster=5 --set data.test_per_cluster=5 --set attack.eps=1:2:1"
         " --set adversarial.width=0 --set attack.check_steps=0 -q --threads 1";
}

std::string small_train_config(const std::string& name) {
  const std::string path = ::testing::TempDir() + name + ".toml";
  write_text(path, "[data]\ntrain_size = 600\nvalidation_size = 100\ntest_size = 100\n"
                   "[model]\narchitecture = \"mlp\"\nhidden = [16]\n[train]\nepochs = 2\n");
  return path;
}

}  // namespace

TEST(Hardening, ForceReplacesOnlyRobustlabRunsAndNeverItsInputsOrTheWorkingDirectory) {
  const std::string dir = fresh_dir("force");
  fs::create_directories(dir + "/mine");
  write_text(dir + "/mine/thesis.tex", "precious");
  const std::string cd = "cd " + dir + " && ";
  const std::string bin = std::string(ROBUSTLAB_BINARY);
  // ".", the working directory's parent, a directory that is not a run: refused, nothing touched.
  expect_refused(run_command(cd + bin + " run feature-averaging --out . --force" + small_fa()), "working directory", ".");
  expect_refused(run_command(cd + bin + " run feature-averaging --out .. --force" + small_fa()), "working directory", "..");
  expect_refused(run_command(cd + bin + " train " + small_train_config("force") + " --out . --force -q"),
                 "working directory", "train .");
  expect_refused(run_robustlab("run feature-averaging --out " + dir + "/mine --force" + small_fa()),
                 "not a robustlab run directory", "not a run");
  EXPECT_TRUE(fs::exists(dir + "/mine/thesis.tex"));
  // The run's own inputs: its config file, its data, the model it attacks.
  const std::string config = dir + "/config.toml";
  write_text(config, "study = \"feature-averaging\"\n");
  expect_refused(run_robustlab("run " + config + " --out " + config + " --force" + small_fa()), "which this run reads",
                 "config as out");
  expect_refused(run_robustlab("train " + small_train_config("force2") + " --out /usr/share/datasets/fashion-mnist --force -q"),
                 "which this run reads", "data root as out");
  EXPECT_TRUE(fs::exists("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"));
  EXPECT_TRUE(fs::exists(dir + "/mine/thesis.tex"));
  EXPECT_TRUE(fs::exists(config));
  // A run is replaced by a run, the old one in place until the new one is complete.
  ASSERT_EQ(run_robustlab("run feature-averaging --out " + dir + "/run" + small_fa()).code, 0);
  write_text(dir + "/run/note.txt", "old");
  ASSERT_EQ(run_robustlab("run feature-averaging --out " + dir + "/run --force --seed 1" + small_fa()).code, 0);
  EXPECT_FALSE(fs::exists(dir + "/run/note.txt"));
  EXPECT_EQ(read_json(dir + "/run/results.json")["seed"], 1);
  for (const auto& e : fs::directory_iterator(dir))  // no staging or set-aside directory left
    EXPECT_EQ(e.path().filename().string().find(".partial"), std::string::npos) << e.path();
  // attack --out naming the model file.
  const std::string model = dir + "/model.pt";
  write_text(model, "not really a model");
  expect_refused(run_robustlab("attack --model " + model + " --attack fgsm --eps 0.1 --out " + model), "which this run reads",
                 "attack out = model");
  fs::remove_all(dir);
}

TEST(Hardening, ARefusedResumeChangesNothingAndASecondWriterIsLockedOut) {
  const std::string config = small_train_config("resume");
  const std::string dir = fresh_dir("resume");
  ASSERT_EQ(run_robustlab("train " + config + " -q --threads 1 --out " + dir).code, 0);
  std::stringstream before;
  before << std::ifstream(dir + "/config.toml").rdbuf();
  expect_refused(run_robustlab("train " + config + " -q --threads 1 --out " + dir + " --resume --set train.lr=0.2"),
                 "different config", "changed config");
  std::stringstream after;
  after << std::ifstream(dir + "/config.toml").rdbuf();
  EXPECT_EQ(before.str(), after.str());
  // A second process on the same directory is refused while the first holds it.
  {
    const Result locked = run_command("flock " + dir + ".lock " + std::string(ROBUSTLAB_BINARY) + " train " + config +
                                      " -q --threads 1 --out " + dir + " --resume");
    expect_refused(locked, "another robustlab process", "locked");
  }
  fs::remove_all(dir);
}

TEST(Hardening, CraftedCheckpointsAreRefusedBeforeAnyTraining) {
  const std::string config = small_train_config("checkpoint");
  const std::string dir = fresh_dir("checkpoint");
  ASSERT_EQ(run_robustlab("train " + config + " -q --threads 1 --out " + dir).code, 0);
  const std::string path = dir + "/checkpoint.pt";
  const robustlab::StateFile original = robustlab::load_state_file(path);
  auto with_training_entry = [&](const std::string& key, const c10::IValue& value) {
    robustlab::StateFile file = original.copy();
    robustlab::StateFile training = file.at("training").toGenericDict().copy();
    training.insert_or_assign(key, value);
    file.insert_or_assign("training", training);
    robustlab::save_state_file(path, file);
  };
  const std::vector<std::pair<std::string, c10::IValue>> edits = {
      {"epoch", int64_t{100}}, {"epoch", int64_t{-3}}, {"step", int64_t{7}}, {"epoch", std::string("two")},
      {"optimizer", torch::randint(0, 255, {100}, torch::kUInt8)}, {"generator", torch::zeros({3}, torch::kUInt8)}};
  for (const auto& [key, value] : edits) {
    with_training_entry(key, value);
    expect_refused(run_robustlab("train " + config + " -q --threads 1 --out " + dir + " --resume"), path,
                   key + " edited");
  }
  fs::remove_all(dir);
}

TEST(Hardening, EveryExceptionIsOneLineNamingWhatIsWrong) {
  const std::string dir = fresh_dir("exceptions");
  fs::create_directories(dir);
  // Symlink loops as config, data root and model file.
  fs::create_symlink(dir + "/b", dir + "/a");
  fs::create_symlink(dir + "/a", dir + "/b");
  fs::create_symlink(dir + "/loop.toml", dir + "/loop.toml");
  expect_refused(run_robustlab("run " + dir + "/loop.toml"), "loop.toml", "config loop");
  expect_refused(run_robustlab("run feature-averaging-real --set data.root=" + dir + "/a --out " + dir + "/out"),
                 dir + "/a", "data root loop");
  expect_refused(run_robustlab("attack --model " + dir + "/a --attack fgsm --eps 0.1"), dir + "/a", "model loop");
  // A FIFO as config would block forever.
  ASSERT_EQ(mkfifo((dir + "/fifo.toml").c_str(), 0644), 0);
  expect_refused(run_robustlab("run " + dir + "/fifo.toml"), "not a regular file", "fifo");
  // IDX headers: a dimension of 0, sizes whose product wraps 64 bits, a body four times the header.
  auto write_bytes = [&](const std::string& name, const std::vector<uint8_t>& bytes) {
    std::ofstream(dir + "/" + name, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return dir + "/" + name;
  };
  const std::vector<uint8_t> wrap = {0, 0, 8, 3, 0x80, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 4};
  const std::vector<uint8_t> zero = {0, 0, 8, 2, 0, 0, 0, 0, 0xe5, 0xe5, 0xe5, 0xe5};
  for (const auto& [name, bytes] : {std::pair{"wrap", wrap}, std::pair{"zero", zero}}) {
    const std::string path = write_bytes(name, bytes);
    try {
      robustlab::read_idx(path);
      ADD_FAILURE() << name;
    } catch (const robustlab::UserError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }
  // Train and test images of different sizes: refused when the data is read, before any training.
  fs::create_directories(dir + "/mixed");
  auto idx = [](std::vector<uint32_t> shape) {
    std::vector<uint8_t> b = {0, 0, 8, static_cast<uint8_t>(shape.size())};
    size_t n = 1;
    for (uint32_t s : shape) {
      n *= s;
      for (int k = 3; k >= 0; --k) b.push_back(static_cast<uint8_t>(s >> (8 * k)));
    }
    b.resize(b.size() + n, 1);
    return b;
  };
  write_bytes("mixed/train-images-idx3-ubyte", idx({20, 28, 28}));
  write_bytes("mixed/train-labels-idx1-ubyte", idx({20}));
  write_bytes("mixed/t10k-images-idx3-ubyte", idx({10, 20, 20}));
  write_bytes("mixed/t10k-labels-idx1-ubyte", idx({10}));
  expect_refused(run_robustlab("train " + small_train_config("mixed") + " --set data.name=mnist --set data.root=" + dir +
                               "/mixed --set data.train_size=10 --set data.validation_size=2 --set data.test_size=5 "
                               "--out " + dir + "/mixed-run"),
                 "training images", "mixed sizes");
  EXPECT_FALSE(fs::exists(dir + "/mixed-run"));
  fs::remove_all(dir);
}

TEST(Hardening, ConfigsThatCannotFitAreRefusedBeforeAnyAllocation) {
  const std::string out = fresh_dir("huge") + " -q";
  expect_refused(run_robustlab("run feature-averaging --set data.d=1000000000000 --out " + out), "of memory", "d");
  expect_refused(run_robustlab("run feature-averaging --set binary.width=10000000000 --out " + out), "of memory", "width");
  expect_refused(run_robustlab("run feature-averaging --set train.steps=100000000000 --out " + out), "of memory", "steps");
  expect_refused(run_robustlab("run feature-averaging-real --set model.hidden=[1000000000000] --out " + out), "of memory",
                 "hidden");
  expect_refused(run_robustlab("run feature-averaging --set attack.eps=0:1:0.000000001 --out " + out),
                 "more than 100000 values", "grid");
  expect_refused(run_robustlab("run feature-averaging --threads 10000 --out " + out), "from 0 to 256", "threads");
}

TEST(Hardening, NothingIsTruncatedOrNonFiniteSilently) {
  const std::string out = " --out " + fresh_dir("truncation") + " -q";
  expect_refused(run_robustlab("run feature-averaging --set adversarial.steps=4294967297" + out), "<= 2147483647",
                 "steps wrap");
  expect_refused(run_robustlab("run feature-averaging --set attack.steps=1e10" + out), "integer", "steps float");
  expect_refused(run_robustlab("run feature-averaging --seed 18446744073709551615" + out), "9223372036854775807", "seed");
  expect_refused(run_robustlab("run feature-averaging-real --set model.hidden=[32.7]" + out), "integers", "hidden");
  for (const char* key : {"train.lr", "train.weight_decay", "adversarial.eps", "adversarial.alpha",
                          "adversarial.warmup_epochs"})
    expect_refused(run_robustlab("run feature-averaging --set " + std::string(key) + "=inf" + out), "finite", key);
  expect_refused(run_robustlab("attack --model x.pt --attack fgsm --eps 1e308"), "not a radius", "eps");
  expect_refused(run_robustlab("attack --model x.pt --attack fgsm --eps 0.1 --steps 0"), "from 1 to", "steps 0");
}

TEST(Hardening, AFailingGnuplotCostsTheFiguresNotTheRun) {
  const std::string dir = fresh_dir("gnuplot");
  fs::create_directories(dir + "/bin");
  for (const auto& [name, script] :
       {std::pair{"fails", "#!/bin/sh\ncat >/dev/null\necho 'line 3: unknown terminal' >&2\nexit 1\n"},
        std::pair{"silent", "#!/bin/sh\ncat >/dev/null\nexit 0\n"}}) {
    write_text(dir + "/bin/gnuplot", script);
    fs::permissions(dir + "/bin/gnuplot", fs::perms::owner_all);
    const std::string out = dir + "/" + name;
    const Result r = run_command("PATH=" + dir + "/bin:$PATH " + std::string(ROBUSTLAB_BINARY) +
                                 " run feature-averaging --out " + out + small_fa());
    EXPECT_EQ(r.code, 0) << r.output;
    EXPECT_NE(r.output.find("not drawn"), std::string::npos) << r.output;
    // gnuplot's own message is the reason given, and its log is not left in the run.
    if (std::string(name) == "fails") EXPECT_NE(r.output.find("line 3: unknown terminal"), std::string::npos) << r.output;
    for (const auto& entry : fs::directory_iterator(out)) EXPECT_NE(entry.path().extension(), ".log") << entry.path();
    EXPECT_TRUE(fs::exists(out + "/results.json"));
    EXPECT_TRUE(fs::exists(out + "/robust_accuracy.csv"));
    std::stringstream report;
    report << std::ifstream(out + "/report.md").rdbuf();
    EXPECT_EQ(report.str().find("](robust_accuracy.png)"), std::string::npos) << "links a figure never drawn";
    EXPECT_NE(report.str().find("figure not drawn"), std::string::npos);
  }
  // gnuplot's warnings (an axis of one value: "empty x2 range") stay off the user's terminal.
  write_text(dir + "/bin/gnuplot", "#!/bin/sh\necho 'warning: empty x2 range' >&2\nexec /usr/bin/gnuplot\n");
  const Result chatty = run_command("PATH=" + dir + "/bin:$PATH " + std::string(ROBUSTLAB_BINARY) +
                                    " run feature-averaging --out " + dir + "/chatty" + small_fa());
  EXPECT_EQ(chatty.code, 0) << chatty.output;
  EXPECT_EQ(chatty.output.find("empty x2 range"), std::string::npos) << chatty.output;
  EXPECT_TRUE(fs::exists(dir + "/chatty/robust_accuracy.png"));
  fs::remove_all(dir);
}

TEST(Hardening, ErrorsNameTheFlagTheUserGave) {
  expect_refused(run_robustlab("attack --model x.pt --attack fgsm --eps 0.1 --root /nonexistent-root"), "--root", "root");
  // --examples above the test set, on a real model.
  const std::string dir = fresh_dir("flags");
  ASSERT_EQ(run_robustlab("train " + small_train_config("flags") + " -q --threads 1 --out " + dir).code, 0);
  expect_refused(run_robustlab("attack --model " + dir + "/model.pt --attack fgsm --eps 0.1 --examples 20000"),
                 "--examples", "examples");
  fs::remove_all(dir);
}

TEST(Hardening, AFailedRunLeavesNothingAndLeftoversOfKilledWritersAreCleared) {
  const std::string dir = fresh_dir("leftovers");
  fs::create_directories(dir);
  // A training run that fails after its directory was made (an MLP without hidden layers fails
  // when the network is built) takes the directory away again: the corrected command can run.
  expect_refused(run_robustlab("train " + small_train_config("leftovers") + " --set model.hidden=[] -q --out " + dir + "/t"),
                 "hidden layer", "no hidden layer");
  EXPECT_FALSE(fs::exists(dir + "/t"));
  // What writers killed mid-write left (their PIDs are not running) goes with the next run there.
  const std::string dead = "4194000";  // above any PID this kernel hands out by default
  fs::create_directories(dir + "/run.partial-" + dead);
  ASSERT_EQ(run_robustlab("run feature-averaging --out " + dir + "/run" + small_fa()).code, 0);
  EXPECT_FALSE(fs::exists(dir + "/run.partial-" + dead));
  ASSERT_EQ(run_robustlab("train " + small_train_config("leftovers2") + " -q --threads 1 --out " + dir + "/t").code, 0);
  write_text(dir + "/t/checkpoint.pt.tmp-" + dead, "half a checkpoint");
  ASSERT_EQ(run_robustlab("train " + small_train_config("leftovers2") + " -q --threads 1 --resume --out " + dir + "/t").code, 0);
  EXPECT_FALSE(fs::exists(dir + "/t/checkpoint.pt.tmp-" + dead));
  fs::remove_all(dir);
}
