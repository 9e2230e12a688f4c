#include "models/two_layer/two_layer_relu.h"

namespace robustlab {

TwoLayerReluImpl::TwoLayerReluImpl(const TwoLayerReluOptions& o, at::Generator& generator) {
  const int64_t units = 2 * o.width;
  weight = register_parameter(
      "weight", torch::randn({units, o.input_dim}, generator, torch::kFloat32) * o.init_std);
  if (o.bias) bias = register_parameter("bias", torch::zeros({units}));
  const double s = o.mean_readout ? 1.0 / static_cast<double>(o.width) : 1.0;
  torch::Tensor a = torch::full({units}, s);
  a.slice(0, o.width).neg_();
  second_layer = register_buffer("second_layer", a);
}

torch::Tensor TwoLayerReluImpl::forward(const torch::Tensor& x) {
  torch::Tensor pre = bias.defined() ? torch::addmm(bias, x, weight.t()) : x.matmul(weight.t());
  return torch::relu(pre).matmul(second_layer);
}

}  // namespace robustlab
