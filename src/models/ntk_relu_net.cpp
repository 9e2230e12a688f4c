#include "models/ntk_relu_net.h"

#include <cmath>

namespace robustlab {

NtkReluNetImpl::NtkReluNetImpl(const NtkReluNetOptions& o, at::Generator& generator) : options(o) {
  TORCH_CHECK(o.inputs > 0 && o.width > 0 && o.kernel.hidden_layers >= 1, "NTK ReLU net: bad shape");
  int64_t fan_in = o.inputs;
  for (int l = 0; l <= o.kernel.hidden_layers; ++l) {
    const int64_t out = l == o.kernel.hidden_layers ? 1 : o.width;
    weights.push_back(register_parameter("weight" + std::to_string(l), torch::randn({out, fan_in}, generator)));
    biases.push_back(register_parameter("bias" + std::to_string(l), torch::randn({out}, generator)));
    if (o.centred) {
      initial_weights.push_back(register_buffer("initial_weight" + std::to_string(l), weights.back().detach().clone()));
      initial_biases.push_back(register_buffer("initial_bias" + std::to_string(l), biases.back().detach().clone()));
    }
    fan_in = out;
  }
}

namespace {

torch::Tensor ntk_forward(const torch::Tensor& x, const std::vector<torch::Tensor>& weights,
                          const std::vector<torch::Tensor>& biases, const ReluNtkOptions& k) {
  torch::Tensor h = x.flatten(1);
  for (size_t l = 0; l < weights.size(); ++l) {
    if (l > 0) h = torch::relu(h);
    const double scale = k.weight_std / std::sqrt(static_cast<double>(weights[l].size(1)));
    h = h.matmul(weights[l].t()) * scale + biases[l] * k.bias_std;  // σ_w W h/√fan_in + σ_b b
  }
  return h.squeeze(1);
}

}  // namespace

torch::Tensor NtkReluNetImpl::forward(const torch::Tensor& x) {
  const torch::Tensor f = ntk_forward(x, weights, biases, options.kernel);
  return options.centred ? f - ntk_forward(x, initial_weights, initial_biases, options.kernel) : f;
}

}  // namespace robustlab
