#include "probes/ntk/dense_chain.h"

#include <optional>

namespace robustlab {
namespace {

bool trains(const at::Tensor& t) { return t.defined() && t.requires_grad(); }

at::Tensor apply_dense(const DenseLayer& layer, const at::Tensor& a) {
  TORCH_CHECK(a.dim() == 2, "dense layer: input must be [n, in], got ", a.sizes());
  at::Tensor y = a.matmul(layer.weight.t()) * layer.weight_scale;  // s_w · a Wᵀ
  if (layer.bias.defined()) y = y + layer.bias * layer.bias_scale;  // + s_b · b
  return y;
}

at::Tensor apply_conv(const ConvLayer& layer, const at::Tensor& a) {
  TORCH_CHECK(a.dim() == 4, "convolution: input must be [n, C, H, W], got ", a.sizes());
  return at::conv2d(a, layer.weight, layer.bias, layer.stride, layer.padding, layer.dilation);
}

// The output of a layer with parameters; nullopt for a parameter-free step.
std::optional<at::Tensor> apply_layer(const std::variant<DenseLayer, ConvLayer, FixedMap>& step, const at::Tensor& a) {
  if (const auto* dense = std::get_if<DenseLayer>(&step)) return apply_dense(*dense, a);
  if (const auto* conv = std::get_if<ConvLayer>(&step)) return apply_conv(*conv, a);
  return std::nullopt;
}

// The chain's output as [n, c].
at::Tensor as_matrix(const at::Tensor& f) {
  TORCH_CHECK(f.dim() == 1 || f.dim() == 2, "model output must be [n] or [n, c], got ", f.sizes());
  return f.dim() == 1 ? f.unsqueeze(1) : f;
}

}  // namespace

at::Tensor DenseChain::forward(const at::Tensor& x) const {
  at::Tensor a = x;
  for (const auto& step : steps) {
    if (std::optional<at::Tensor> y = apply_layer(step, a)) a = *y;
    else a = std::get<FixedMap>(step)(a);
  }
  return a;
}

std::vector<at::Tensor> DenseChain::parameters() const {
  std::vector<at::Tensor> out;
  const auto add = [&](const at::Tensor& weight, const at::Tensor& bias) {
    if (trains(weight)) out.push_back(weight);
    if (trains(bias)) out.push_back(bias);
  };
  for (const auto& step : steps) {
    if (const auto* dense = std::get_if<DenseLayer>(&step)) add(dense->weight, dense->bias);
    if (const auto* conv = std::get_if<ConvLayer>(&step)) add(conv->weight, conv->bias);
  }
  return out;
}

DenseTrace trace_dense_chain(const DenseChain& chain, const at::Tensor& x) {
  torch::AutoGradMode enable_grad(true);
  DenseTrace trace;
  // Each layer's output gets a zero leaf added, y_l + z_l with z_l = 0, so that ∂f/∂y_l = ∂f/∂z_l
  // is asked of autograd whether or not the layer's own parameters require grad.
  std::vector<at::Tensor> taps;
  at::Tensor a = x.detach();
  for (const auto& step : chain.steps) {
    if (std::optional<at::Tensor> y_layer = apply_layer(step, a)) {
      trace.inputs.push_back(a.detach());
      const at::Tensor y = *y_layer;
      taps.push_back(torch::zeros_like(y).requires_grad_(true));
      a = y + taps.back();
    } else {
      a = std::get<FixedMap>(step)(a);
    }
  }
  const at::Tensor f = as_matrix(a);
  trace.outputs = f.size(1);
  std::vector<std::vector<at::Tensor>> per_output(taps.size());
  for (int64_t c = 0; c < trace.outputs && !taps.empty(); ++c) {
    const at::Tensor f_c = f.select(1, c);
    const auto grads = torch::autograd::grad({f_c}, taps, {torch::ones_like(f_c)},
                                             /*retain_graph=*/c + 1 < trace.outputs,
                                             /*create_graph=*/false, /*allow_unused=*/true);
    for (size_t l = 0; l < taps.size(); ++l)
      per_output[l].push_back(grads[l].defined() ? grads[l] : torch::zeros_like(taps[l]));
  }
  for (auto& g : per_output) trace.signals.push_back(torch::stack(g, 1));  // [n, c, out, ...]
  return trace;
}

}  // namespace robustlab
