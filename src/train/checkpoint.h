// A training checkpoint: everything the loop needs to continue as if it had never stopped. It is
// a state file (train/state_file.h, readable by Python's torch.load) holding
//   "model"     the weights and buffers,
//   "training"  {epoch, step, optimizer (LibTorch's archive of its state, as bytes), generator
//               (the CPU generator's state: shuffles and augmentation continue identically),
//               loss (per step), epochs (per-epoch records), best_epoch, best_metric,
//               since_best, best_model (weights of the best epoch, under early stopping)},
//   and the run's text entries, which a resume must match.
#pragma once
#include <ATen/core/Generator.h>
#include <limits>
#include <map>
#include <optional>
#include <string>

#include "models/state_file.h"
#include "train/train.h"

namespace torch::optim {
class Optimizer;
}

namespace robustlab {

struct LoopState {
  int64_t epoch = 0;  // epochs completed
  int64_t step = 0;   // gradient steps taken
  TrainLog log;
  double best_metric = -std::numeric_limits<double>::infinity();
  int64_t since_best = 0;
  std::optional<StateDict> best_model;
};

void save_checkpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                     const at::Generator& generator, const LoopState& state,
                     const std::map<std::string, std::string>& texts);

// Restores model, optimizer and generator in place and returns the loop state. UserError when the
// file is damaged or its text entries differ from `texts` (another config or model).
LoopState load_checkpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                          at::Generator& generator, const std::map<std::string, std::string>& texts);

}  // namespace robustlab
