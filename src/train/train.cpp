#include "train/train.h"

#include "models/classification.h"
#include "runtime/progress.h"
#include "runtime/user_error.h"

namespace robustlab {

TrainLog train(torch::nn::Module& model, const Forward& forward, const torch::Tensor& inputs,
               const torch::Tensor& labels, const TrainOptions& o, at::Generator& gen,
               const std::string& progress_label) {
  if (o.optimizer != "gd" && o.optimizer != "sgd")
    throw UserError("train.optimizer: unknown optimizer '" + o.optimizer + "' (gd or sgd)");
  model.train();
  torch::optim::SGD optimizer(model.parameters(),
                              torch::optim::SGDOptions(o.lr).momentum(o.momentum));
  const int64_t n = inputs.size(0);
  const int64_t batch = o.optimizer == "gd" ? n : std::min(o.batch_size, n);
  torch::Tensor order;  // the current epoch's permutation (sgd)
  int64_t cursor = n;

  TrainLog log;
  log.loss.reserve(o.steps);
  Progress progress(progress_label, o.steps);
  for (int64_t step = 0; step < o.steps; ++step) {
    torch::Tensor x = inputs, y = labels;
    if (batch < n) {
      if (cursor + batch > n) {  // new epoch: reshuffle, drop the ragged tail
        order = torch::randperm(n, gen, torch::kInt64).to(inputs.device());
        cursor = 0;
      }
      const torch::Tensor idx = order.slice(0, cursor, cursor + batch);
      cursor += batch;
      x = inputs.index_select(0, idx);
      y = labels.index_select(0, idx);
    }
    if (o.perturb) {
      model.eval();
      x = o.perturb(x, y);
      model.train();
    }
    optimizer.zero_grad();
    const torch::Tensor loss = per_example_loss(forward(x), y).mean();
    loss.backward();
    optimizer.step();
    log.loss.push_back(loss.item<double>());
    progress.advance();
  }
  model.eval();
  return log;
}

}  // namespace robustlab
