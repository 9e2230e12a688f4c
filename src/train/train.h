// The one training loop. It minimises the mean per-example loss (models/classification.h) by
//   full-batch gradient descent ("gd", the theory papers' setting),
//   minibatch SGD with momentum and weight decay ("sgd"), or Adam ("adam"),
// over epochs (each a fresh permutation; a ragged last batch is dropped), with the learning rate
// set per epoch by a schedule:  constant;  step: lr·γ^⌊e/s⌋;  cosine: lr·(1 + cos(π e/E))/2,
// and over the first warmup_epochs (counted in steps) multiplied by (step + 1)/W: large first steps
// from a random init, momentum adding up, can kill every ReLU of a net for good.
// Optional, each a field of TrainOptions rather than a copy of the loop:
//   loss        the per-example loss minimised (default: logistic / cross-entropy);
//   augment     a random transform of each minibatch (crop+flip for images, train/augment.h);
//   adversarial the loss on adversarial inputs instead of (or mixed with) the clean loss: PGD,
//               fast FGSM, TRADES, one-step (train/adversarial_training.h);
//   validate    a metric after every epoch (higher is better); early stopping after `patience`
//               epochs without improvement, ending with the best epoch's weights;
//   on_step     a callback every k steps (recording curves over training), after_step one after
//               every optimiser step (EMA, projections, proximal steps);
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
#include "config/fields.h"
#include "models/classification.h"
#include "train/adversarial_training.h"

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
  double warmup_epochs = 0;           // lr rises linearly from lr/W to lr over the first W steps

  void fields(Fields& f) {  // the config keys train.*
    f.field("optimizer", optimizer, "gd (full batch), sgd (minibatches, momentum, weight decay) or adam",
            {"gd", "sgd", "adam"});
    f.field("lr", lr, "learning rate (peak, before the schedule)", {0});
    f.field("momentum", momentum, "gd and sgd momentum", {0, 1});
    f.field("weight_decay", weight_decay, "L2 weight decay", {0});
    f.field("epochs", epochs, "passes over the training data (0: as many as train.steps needs)", {0});
    f.field("steps", steps, "gradient steps (0: no cap)", {0});
    f.field("batch_size", batch_size, "minibatch size (sgd, adam)", {1});
    f.field("schedule", schedule, "learning-rate schedule over epochs", {"constant", "step", "cosine"});
    f.field("schedule_step", schedule_step, "step schedule: epochs between decays", {1});
    f.field("schedule_gamma", schedule_gamma, "step schedule: decay factor", {0, 1});
    f.field("warmup_epochs", warmup_epochs, "learning rate rises linearly from 0 over this many epochs (counted in steps)", {0, 1000});
  }

  // What is minimised: the mean over the batch of loss(model(x), y) (models/classification.h's
  // by default; a study may train on a hinge or any other per-example loss).
  Loss loss = per_example_loss;
  std::function<at::Tensor(const at::Tensor& x, at::Generator&)> augment;
  AdversarialTraining adversarial;
  std::function<double()> validate;  // called with the model in eval mode
  int64_t patience = 0;              // early stopping; 0: never stop early
  // Called with the number of steps taken, after every `on_step_every`-th step and after the
  // last, with the model in eval mode: to record how features, losses or kernels evolve.
  std::function<void(int64_t step)> on_step;
  int64_t on_step_every = 1;
  // Called after every epoch (after validation) with the epoch's number from 1, in eval mode.
  std::function<void(int64_t epoch)> on_epoch;
  // Called after every optimiser step, before the next batch: EMA of the weights, projections,
  // proximal steps.
  std::function<void()> after_step;

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

TrainLog train(torch::nn::AnyModule model, const at::Tensor& inputs, const at::Tensor& labels,
               const TrainOptions& options, at::Generator& generator, const std::string& progress_label);

}  // namespace robustlab
