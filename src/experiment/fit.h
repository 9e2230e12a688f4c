// Building and training a model with named random streams (runtime/random.h): the initial weights
// of model NAME come from the stream "init/NAME", the order of its examples, its augmentation and
// its adversarial inputs from "train/NAME". Adding a model to a study or changing how one trains
// does not shift any other model's numbers.
#pragma once
#include <ATen/core/Tensor.h>
#include <string>
#include <torch/nn/modules/container/any.h>

#include "experiment/figure.h"
#include "experiment/run_context.h"
#include "experiment/table.h"
#include "runtime/random.h"
#include "train/train.h"

namespace robustlab {

// A module built as Module(options, generator), on the run's device.
template <typename Module, typename Options>
Module build(const std::string& name, const Options& options, const RunContext& context) {
  at::Generator generator = make_generator(context.seed, ("init/" + name).c_str());
  Module module(options, generator);
  module->to(context.device);
  return module;
}

// Trains `model` on (inputs, labels) and leaves it in eval mode.
TrainLog fit(const std::string& name, torch::nn::AnyModule model, const at::Tensor& inputs,
             const at::Tensor& labels, const TrainOptions& options, const RunContext& context);

// The table of training losses (model, epoch, step, loss) and the figure of loss against step,
// one line per model, that studies show for their trained models; and a log's rows in it.
Table training_loss_table();
void add_training_loss(Table& table, const std::string& model, const TrainLog& log);
Figure training_loss_figure(const std::string& study);

}  // namespace robustlab
