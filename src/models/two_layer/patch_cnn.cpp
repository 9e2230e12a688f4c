#include "models/two_layer/patch_cnn.h"

#include "runtime/user_error.h"

namespace robustlab {

PatchCnnImpl::PatchCnnImpl(const PatchCnnOptions& o, at::Generator& generator) : options(o) {
  if (o.binary && o.classes != 2) throw UserError("model: a binary patch CNN has two filter banks");
  weight = register_parameter("weight", torch::randn({o.classes, o.width, o.d}, generator, torch::kFloat32) * o.init_std);
}

torch::Tensor PatchCnnImpl::forward(const torch::Tensor& x) {
  const int64_t n = x.size(0), patches = x.size(1), classes = weight.size(0), width = weight.size(1);
  // ⟨w_{c,r}, X_p⟩ for every input, patch, class and filter: one product [n·P, d] × [d, C·m].
  const torch::Tensor pre = x.reshape({n * patches, -1}).matmul(weight.reshape({classes * width, -1}).t());
  const torch::Tensor act = options.activation == "relu-power" ? relu_power(pre, options.q)
                                                                : smoothed_relu(pre, options.q, options.rho);
  const torch::Tensor logits = act.view({n, patches, classes, width}).sum({1, 3});
  return options.binary ? logits.select(1, 1) - logits.select(1, 0) : logits;
}

}  // namespace robustlab
