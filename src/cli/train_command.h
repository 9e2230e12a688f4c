// `robustlab train CONFIG`: trains one image classifier from a config file (data.*, model.*,
// train.* keys; see `studies/image_training.h`) into an output directory:
//   config.toml    the resolved config (written first)
//   checkpoint.pt  after every epoch (atomic); `--resume` continues from it
//   model.pt       the final weights, spec and task: `robustlab attack --model` reads it
//   history.csv    epoch, lr, train loss, validation accuracy, seconds
//   results.json   written last: its presence means the run finished
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cli/common_options.h"

namespace robustlab {

struct TrainCommandOptions {
  std::string config;
  std::string out;
  std::vector<std::string> sets;
  std::optional<int64_t> seed;
  bool resume = false, force = false;
  RuntimeFlags runtime;
};

void add_train_command(CLI::App& app, TrainCommandOptions& options, CLI::App*& command);
int run_train_command(const TrainCommandOptions& options);

}  // namespace robustlab
