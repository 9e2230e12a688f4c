// The one training loop. It minimises the mean per-example loss (models/classification.h) by
//   full-batch gradient descent ("gd", the theory papers' setting),
//   minibatch SGD with momentum and weight decay ("sgd"), or Adam ("adam"),
// over epochs (each a fresh permutation; a ragged last batch is dropped), with the learning rate
// set per epoch by a schedule:  constant;  step: lr·γ^⌊e/s⌋;  cosine: lr·(1 + cos(π e/E))/2.
// Optional, each a field of TrainOptions rather than a copy of the loop:
//   augment     a random transform of each minibatch (crop+flip for images, train/augment.h);
//   adversarial the loss on adversarial inputs instead of (or mixed with) the clean loss: PGD,
//               fast FGSM, TRADES, one-step (train/adversarial_training.h);
//   validate    a metric after every epoch (higher is better); early stopping after `patience`
//               epochs without improvement, ending with the best epoch's weights;
//   checkpoint  written atomically after every epoch; with resume, a run continues from it and
//               ends with exactly the weights an uninterrupted run would have.
#pragma once
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "attacks/attack.h"
#include "train/adversarial_training.h"

namespace torch::nn {
class Module;
}

namespace robustlab {

struct TrainOptions {
  std::string optimizer = "gd";  // gd, sgd, adam
  double lr = 1e-3;
  double momentum = 0.0;      // gd, sgd
  double weight_decay = 0.0;  // L2 penalty (λ/2)‖θ‖² added to the loss's gradient as λθ
  int64_t epochs = 0;         // passes over the data; 0: as many as `steps` needs
  int64_t steps = 0;          // stop after this many gradient steps; 0: no cap
  int64_t batch_size = 128;   // sgd and adam
  std::string schedule = "constant";  // constant, step, cosine
  int64_t schedule_step = 30;         // step: epochs between decays
  double schedule_gamma = 0.1;        // step: decay factor

  std::function<at::Tensor(const at::Tensor& x, at::Generator&)> augment;
  AdversarialTraining adversarial;
  std::function<double()> validate;  // called with the model in eval mode
  int64_t patience = 0;              // early stopping; 0: never stop early

  std::string checkpoint_path;  // "" : no checkpoints
  bool resume = false;          // continue from checkpoint_path when it exists
  // Text stored in the checkpoint (model spec, config); on resume it must match, so that a run
  // is never continued with different settings.
  std::map<std::string, std::string> checkpoint_texts;
};

struct EpochRecord {
  int64_t epoch = 0;          // 1-based
  double lr = 0, train_loss = 0;  // train_loss: mean over the epoch's steps
  double validation = 0;      // NaN without validate
  double seconds = 0;
};

struct TrainLog {
  std::vector<double> loss;  // training loss at each step, before the step
  std::vector<EpochRecord> epochs;
  int64_t best_epoch = 0;       // with validate: the best epoch (with patience, the weights kept)
  bool stopped_early = false;
  int64_t resumed_from_epoch = 0;  // 0: started fresh
};

TrainLog train(torch::nn::Module& model, const Forward& forward, const at::Tensor& inputs,
               const at::Tensor& labels, const TrainOptions& options, at::Generator& generator,
               const std::string& progress_label);

}  // namespace robustlab
