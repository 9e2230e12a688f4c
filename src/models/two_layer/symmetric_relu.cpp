#include "models/two_layer/symmetric_relu.h"

namespace robustlab {

SymmetricReluImpl::SymmetricReluImpl(const SymmetricReluOptions& o, at::Generator& generator)
    : threshold(o.threshold) {
  weight = register_parameter("weight", torch::randn({o.width, o.input_dim}, generator, torch::kFloat32) * o.init_std);
}

torch::Tensor SymmetricReluImpl::biases() const { return threshold * weight.detach().norm(2, {1}); }

torch::Tensor SymmetricReluImpl::forward(const torch::Tensor& x) {
  const torch::Tensor u = x.matmul(weight.t());
  const torch::Tensor b = biases();
  return (torch::relu(u - b) - torch::relu(-u - b)).sum(1);
}

}  // namespace robustlab
