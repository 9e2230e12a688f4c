#include "experiment/fit.h"

namespace robustlab {

TrainLog fit(const std::string& name, torch::nn::AnyModule model, const at::Tensor& inputs,
             const at::Tensor& labels, const TrainOptions& options, const RunContext& context) {
  at::Generator generator = make_generator(context.seed, ("train/" + name).c_str());
  return train(std::move(model), inputs, labels, options, generator, "train " + name);
}

Table training_loss_table() {
  return Table("training_loss", {text_key("model"), integer_key("epoch"), integer_key("step"), value("loss")});
}

void add_training_loss(Table& table, const std::string& model, const TrainLog& log) {
  const int64_t steps = static_cast<int64_t>(log.loss.size());
  const int64_t epochs = std::max<int64_t>(static_cast<int64_t>(log.epochs.size()), 1);
  const int64_t per_epoch = std::max<int64_t>(steps / epochs, 1);
  for (int64_t s = 0; s < steps; ++s) table.add({model, 1 + s / per_epoch, s + 1, log.loss[static_cast<size_t>(s)]});
}

Figure training_loss_figure(const std::string& study) {
  Figure f = Figure::lines("training_loss", "training_loss", "step", "loss", {"model"}, study + ": training loss");
  f.xlabel = "gradient step";
  f.ylabel = "training loss (batch mean)";
  f.log_y = true;
  return f;
}

}  // namespace robustlab
