#include "models/two_layer/decoupled_relu.h"

namespace robustlab {

DecoupledReluImpl::DecoupledReluImpl(const DecoupledReluOptions& o, at::Generator& generator)
    : outputs(o.outputs), units_per_output(o.units_per_output) {
  const int64_t units = o.outputs * o.units_per_output;
  weight = register_parameter(
      "weight", torch::randn({units, o.input_dim}, generator, torch::kFloat32) * o.init_std);
  if (o.bias) bias = register_parameter("bias", torch::zeros({units}));
}

torch::Tensor DecoupledReluImpl::forward(const torch::Tensor& x) {
  torch::Tensor pre = bias.defined() ? torch::addmm(bias, x, weight.t()) : x.matmul(weight.t());
  return torch::relu(pre).view({x.size(0), outputs, units_per_output}).sum(2);
}

}  // namespace robustlab
