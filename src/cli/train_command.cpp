#include "cli/train_command.h"

#include <CLI/CLI.hpp>
#include <cstdint>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <unistd.h>

#include "probes/accuracy.h"
#include "report/results_json.h"
#include "runtime/atomic_file.h"
#include "runtime/input_file.h"
#include "runtime/memory_budget.h"
#include "runtime/output_directory.h"
#include "runtime/threads.h"
#include "runtime/user_error.h"
#include "experiment/image_task.h"
#include "models/model_file.h"

namespace fs = std::filesystem;

namespace robustlab {
namespace {

// The run's directory, prepared before any training: new; the run to continue (--resume); or, with
// --force, a new one where an old run stood, the old one set aside until the new one finishes. A
// run that fails before its first checkpoint takes its fresh directory away again and puts back
// what it set aside, so that the corrected command finds the place as it was.
class TrainDirectory {
 public:
  TrainDirectory(std::string dir, bool resume, bool force, const std::vector<std::string>& inputs)
      : dir_(std::move(dir)) {
    check_output_path(dir_, inputs, "--out");
    const fs::path parent = fs::absolute(dir_).parent_path();
    std::error_code ec;
    fs::create_directories(parent, ec);
    lock_ = std::make_unique<WriterLock>(dir_ + ".lock", "run directory " + dir_);
    remove_stale_leftovers(dir_);
    if (fs::exists(dir_, ec)) {
      if (!is_robustlab_run(dir_))
        throw UserError("--out " + dir_ + ": exists and is not a robustlab run directory; choose another");
      if (!resume) {
        if (!force)
          throw UserError("output directory " + dir_ + " already exists (--resume to continue its run, --force to start over)");
        aside_ = dir_ + ".replaced-" + std::to_string(getpid());
        fs::rename(dir_, aside_, ec);
        if (ec) throw UserError("cannot set " + dir_ + " aside: " + ec.message());
      }
    }
    fresh_ = !fs::exists(dir_, ec);
    fs::create_directories(dir_, ec);
    if (ec) throw UserError("cannot create output directory " + dir_ + ": " + ec.message());
    mark_as_run(dir_);
  }

  ~TrainDirectory() {
    if (finished_) return;
    std::error_code ec;
    if (fresh_ && !fs::exists(dir_ + "/checkpoint.pt", ec)) {
      fs::remove_all(dir_, ec);
      if (!aside_.empty()) fs::rename(aside_, dir_, ec);
    }
  }

  void finished() {  // the new run is complete: what it replaced goes
    finished_ = true;
    std::error_code ec;
    if (!aside_.empty()) fs::remove_all(aside_, ec);
  }

 private:
  std::string dir_, aside_;
  bool fresh_ = false, finished_ = false;
  std::unique_ptr<WriterLock> lock_;
};

std::string history_csv(const TrainLog& log) {
  std::ostringstream out;
  out << "epoch,lr,train_loss,validation_accuracy,seconds\n" << std::setprecision(9);
  for (const auto& e : log.epochs)
    out << e.epoch << "," << e.lr << "," << e.train_loss << "," << e.validation << "," << e.seconds << "\n";
  return out.str();
}

// The config of `robustlab train`: a seed and one image classifier's training.
struct TrainConfig {
  int64_t seed = 0;
  int64_t threads = 0;
  ImageTraining training = ImageTraining::defaults();
  void fields(Fields& f) {
    f.field("seed", seed, "seed of every random draw in the run", {0});
    f.field("threads", threads, kThreadsHelp, {0, kMaxThreads});
    training.fields(f);
  }
};

std::string without_threads(const std::string& config_toml) {
  std::istringstream in(config_toml);
  std::string out;
  for (std::string line; std::getline(in, line);)
    if (line.rfind("threads = ", 0) != 0) out += line + "\n";
  return out;
}

// A resume continues the run its checkpoint began: the same config, the thread count aside. With
// another count the run continues, but LibTorch's kernels round differently (runtime/threads.h),
// so the weights will not equal an uninterrupted run's bit for bit: said, not refused. Returns the
// config the checkpoint was started with (what later checkpoints must keep matching).
std::string config_to_resume(const std::string& checkpoint, const std::string& config_toml) {
  if (!fs::exists(checkpoint)) return config_toml;
  const std::string started = state_text(load_state_file(checkpoint), "config", checkpoint);
  if (started == config_toml) return config_toml;
  if (without_threads(started) != without_threads(config_toml))
    throw UserError(checkpoint + ": was written by a run with a different config; resume needs the same settings "
                                 "(or start afresh without --resume)");
  std::cerr << "robustlab: warning: resuming " << checkpoint << " with another thread count than it started with; "
            << "some kernels round differently with another count, so the weights will not match an "
               "uninterrupted run bit for bit\n";
  return started;
}

}  // namespace

void add_train_command(CLI::App& app, TrainCommandOptions& o, CLI::App*& cmd) {
  cmd = app.add_subcommand("train", "train an image classifier from a config file");
  cmd->add_option("config", o.config, "config .toml (data.*, model.*, train.* keys)")->required();
  cmd->add_option("--out", o.out, "output directory (default runs/train-<timestamp>)");
  cmd->add_option("--set", o.sets, "override a config key: --set train.epochs=5 (repeatable)");
  cmd->add_option("--seed", o.seed, "seed (same as --set seed=N)")->check(whole_number(0, INT64_MAX));
  cmd->add_flag("--resume", o.resume, "continue the run in --out from its last checkpoint");
  cmd->add_flag("--force", o.force, "replace the output directory if it exists");
  add_runtime_flags(cmd, o.runtime);
}

int run_train_command(const TrainCommandOptions& o) {
  require_regular_file(o.config, "config file");
  if (o.resume && o.out.empty()) throw UserError("--resume needs --out, the directory of the run to continue");
  std::vector<std::string> sets = o.sets;
  if (o.seed) sets.push_back("seed=" + std::to_string(*o.seed));
  if (o.runtime.threads > 0) sets.push_back("threads=" + std::to_string(o.runtime.threads));
  const Schema schema = schema_of(TrainConfig{});
  // The config written out records the thread count used (runtime/threads.h).
  RuntimeFlags runtime = o.runtime;
  const TrainConfig asked = read_options(Config::resolve(schema, o.config, sets), TrainConfig{});
  runtime.threads = resolve_threads(static_cast<int>(asked.threads), asked.training.workload());
  sets.push_back("threads=" + std::to_string(runtime.threads));
  const Config config = Config::resolve(schema, o.config, sets);
  const TrainConfig keys = read_options(config, TrainConfig{});
  const ImageTraining& t = keys.training;
  TrainOptions options = t.training_options();  // a bad adversarial setting fails here
  require_memory("this config (data, " + t.model.architecture + ")", t.memory_bytes());
  RuntimeEnvironment env;
  RunContext ctx = start_runtime(runtime, t.workload(), &env);
  ctx.seed = static_cast<uint64_t>(keys.seed);

  const ImageTask task = load_image_task(t.data);  // bad data fails before the directory exists
  const ImageModelSpec spec = image_model_spec(t.model, task.data, task.outputs());
  const Dataset test_set = task.test().to(ctx.device);

  const std::string dir = o.out.empty() ? default_out_dir("train") : o.out;
  const std::string config_toml = config.to_toml();
  options.checkpoint_path = dir + "/checkpoint.pt";
  options.resume = o.resume;
  TrainDirectory directory(dir, o.resume, o.force, input_paths(config, o.config));
  // A resume compares before it writes anything: a refused one leaves the run as it was.
  const std::string started_with = o.resume ? config_to_resume(options.checkpoint_path, config_toml) : config_toml;
  options.checkpoint_texts = model_file_texts(spec, task.model_task(), started_with);
  write_file_atomically(dir + "/config.toml", config_toml);
  const auto start = std::chrono::steady_clock::now();
  const TrainedClassifier trained =
      train_image_classifier("model", spec, task.train(), task.validation(), options, ctx);
  ImageClassifier model = trained.model;
  const double test_accuracy =
      accuracy([&](const torch::Tensor& x) { return model->forward(x); }, test_set.inputs, test_set.labels);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  save_state_file(dir + "/model.pt", model_file(model, task.model_task()));
  write_file_atomically(dir + "/history.csv", history_csv(trained.log));
  const nlohmann::json results = {
      {"command", "train"},
      {"seed", keys.seed},
      {"threads", runtime.threads},
      {"dataset", task.data.name},
      {"labels", task.labels.kind},
      {"architecture", spec.architecture},
      {"test_accuracy", test_accuracy},
      {"test_examples", test_set.size()},
      {"epochs_run", trained.log.epochs.size()},
      {"best_epoch", trained.log.best_epoch},
      {"stopped_early", trained.log.stopped_early},
      {"resumed_from_epoch", trained.log.resumed_from_epoch},
      {"seconds", seconds},
      {"runtime", runtime_json(env)}};
  write_file_atomically(dir + "/results.json", results.dump(2) + "\n");
  directory.finished();
  if (!o.runtime.quiet) {
    std::cout << "trained " << spec.architecture << " on " << task.data.name << " (" << task.labels.kind
              << ") in " << std::fixed << std::setprecision(1) << seconds << " s";
    if (trained.log.resumed_from_epoch > 0) std::cout << ", resumed after epoch " << trained.log.resumed_from_epoch;
    std::cout << "\n  test accuracy " << std::setprecision(4) << test_accuracy << " on " << test_set.size()
              << " examples\nmodel: " << dir << "/model.pt\n";
  }
  return 0;
}

}  // namespace robustlab
