#include "experiment/fit.h"

namespace robustlab {

TrainLog fit(const std::string& name, torch::nn::AnyModule model, const at::Tensor& inputs,
             const at::Tensor& labels, const TrainOptions& options, const RunContext& context) {
  at::Generator generator = make_generator(context.seed, ("train/" + name).c_str());
  return train(std::move(model), inputs, labels, options, generator, "train " + name);
}

}  // namespace robustlab
