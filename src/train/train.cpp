#include "train/train.h"

#include <chrono>
#include <filesystem>
#include <limits>

#include "runtime/progress.h"
#include "runtime/user_error.h"
#include "train/checkpoint.h"

namespace robustlab {
namespace {

std::unique_ptr<torch::optim::Optimizer> make_optimizer(torch::nn::Module& model, const TrainOptions& o) {
  if (o.optimizer == "gd" || o.optimizer == "sgd")
    return std::make_unique<torch::optim::SGD>(
        model.parameters(), torch::optim::SGDOptions(o.lr).momentum(o.momentum).weight_decay(o.weight_decay));
  if (o.optimizer == "adam")
    return std::make_unique<torch::optim::Adam>(model.parameters(),
                                                torch::optim::AdamOptions(o.lr).weight_decay(o.weight_decay));
  throw UserError("train.optimizer: unknown optimizer '" + o.optimizer + "' (gd, sgd or adam)");
}

// The learning rate of epoch e (0-based) of E.
double scheduled_lr(const TrainOptions& o, int64_t e, int64_t epochs) {
  if (o.schedule == "constant") return o.lr;
  if (o.schedule == "step") return o.lr * std::pow(o.schedule_gamma, static_cast<double>(e / std::max<int64_t>(o.schedule_step, 1)));
  if (o.schedule == "cosine") return o.lr * 0.5 * (1.0 + std::cos(M_PI * static_cast<double>(e) / static_cast<double>(epochs)));
  throw UserError("train.schedule: unknown schedule '" + o.schedule + "' (constant, step or cosine)");
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
}

}  // namespace

TrainLog train(torch::nn::AnyModule any, const torch::Tensor& inputs, const torch::Tensor& labels,
               const TrainOptions& o, at::Generator& gen, const std::string& progress_label) {
  torch::nn::Module& model = *any.ptr();
  const int64_t n = inputs.size(0);
  const int64_t batch = o.optimizer == "gd" ? n : std::min(o.batch_size, n);
  const int64_t steps_per_epoch = n / batch;
  if (o.epochs <= 0 && o.steps <= 0) throw UserError("train: set train.epochs or train.steps");
  const int64_t epochs = o.epochs > 0 ? o.epochs : (o.steps + steps_per_epoch - 1) / steps_per_epoch;
  const int64_t total_steps = o.steps > 0 ? std::min(o.steps, epochs * steps_per_epoch) : epochs * steps_per_epoch;
  std::unique_ptr<torch::optim::Optimizer> optimizer = make_optimizer(model, o);
  scheduled_lr(o, 0, epochs);  // an unknown schedule fails before any work
  const double warmup_steps = o.warmup_epochs * static_cast<double>(steps_per_epoch);
  check_adversarial_training(o.adversarial);

  LoopState s;
  if (o.resume && !o.checkpoint_path.empty() && std::filesystem::exists(o.checkpoint_path)) {
    s = load_checkpoint(o.checkpoint_path, model, *optimizer, gen, o.checkpoint_texts);
    if (s.epoch > epochs || s.step != std::min(s.epoch * steps_per_epoch, total_steps))
      throw UserError(o.checkpoint_path + ": stopped at epoch " + std::to_string(s.epoch) + ", step " +
                      std::to_string(s.step) + ", which no point of this run (" + std::to_string(epochs) + " epochs of " +
                      std::to_string(steps_per_epoch) + " steps) is; the file is damaged or was edited");
  }
  s.log.loss.reserve(static_cast<size_t>(std::min<int64_t>(total_steps, 1 << 20)));

  Progress progress(progress_label, total_steps);
  progress.advance(s.step);
  bool stop = s.step >= total_steps || (o.patience > 0 && s.since_best >= o.patience);
  for (int64_t epoch = s.epoch; epoch < epochs && !stop; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    const double lr = scheduled_lr(o, epoch, epochs);
    set_learning_rate(*optimizer, lr);
    model.train();
    // Full batch: the data as it is. Minibatches: a fresh permutation each epoch.
    const torch::Tensor order = batch < n ? torch::randperm(n, gen, torch::kInt64).to(inputs.device()) : torch::Tensor();
    // Losses stay on the device until the epoch ends: reading one per step would make a GPU wait.
    std::vector<torch::Tensor> epoch_losses;
    for (int64_t b = 0; b < steps_per_epoch && s.step < total_steps; ++b) {
      torch::Tensor x = inputs, y = labels;
      if (batch < n) {
        const torch::Tensor idx = order.slice(0, b * batch, (b + 1) * batch);
        x = inputs.index_select(0, idx);
        y = labels.index_select(0, idx);
      }
      if (o.augment) x = o.augment(x, gen);
      if (static_cast<double>(s.step) < warmup_steps) set_learning_rate(*optimizer, linear_warmup(lr, s.step, warmup_steps));
      const double eps = warmed_up_eps(o.adversarial, s.step, steps_per_epoch);
      const torch::Tensor loss = adversarial_training_loss(o.adversarial, any, o.loss, x, y, eps, gen);
      optimizer->zero_grad();
      loss.backward();
      optimizer->step();
      if (o.after_step) o.after_step();
      epoch_losses.push_back(loss.detach());
      ++s.step;
      if (o.on_step && (s.step % std::max<int64_t>(o.on_step_every, 1) == 0 || s.step == total_steps)) {
        model.eval();
        o.on_step(s.step);
        model.train();
      }
      progress.advance();
    }
    s.epoch = epoch + 1;
    double loss_sum = 0;
    if (!epoch_losses.empty()) {
      const torch::Tensor losses = torch::stack(epoch_losses).to(torch::kCPU, torch::kFloat64);
      s.log.loss.insert(s.log.loss.end(), losses.data_ptr<double>(), losses.data_ptr<double>() + losses.numel());
      loss_sum = losses.sum().item<double>();
    }
    EpochRecord record{s.epoch, lr, loss_sum / std::max<size_t>(epoch_losses.size(), 1),
                       std::numeric_limits<double>::quiet_NaN(), 0};
    if (o.validate) {
      model.eval();
      record.validation = o.validate();
      if (record.validation > s.best_metric) {
        s.best_metric = record.validation;
        s.log.best_epoch = s.epoch;
        s.since_best = 0;
        if (o.patience > 0) s.best_model = module_state(model);
      } else {
        ++s.since_best;
      }
      s.log.stopped_early = o.patience > 0 && s.since_best >= o.patience;
    }
    if (o.on_epoch) {
      model.eval();
      o.on_epoch(s.epoch);
    }
    // Seconds are measured, not replayed: they are the one field a resumed run may differ in.
    record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    s.log.epochs.push_back(record);
    stop = s.log.stopped_early || s.step >= total_steps;
    if (!o.checkpoint_path.empty()) save_checkpoint(o.checkpoint_path, model, *optimizer, gen, s, o.checkpoint_texts);
  }
  progress.finish();
  if (s.best_model) load_module_state(model, *s.best_model, "best epoch");
  model.eval();
  return s.log;
}

}  // namespace robustlab
