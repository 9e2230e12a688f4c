#include "probes/ntk/dense_chain.h"

namespace robustlab {
namespace {

bool trains(const at::Tensor& t) { return t.defined() && t.requires_grad(); }

at::Tensor apply_dense(const DenseLayer& layer, const at::Tensor& a) {
  TORCH_CHECK(a.dim() == 2, "dense layer: input must be [n, in], got ", a.sizes());
  at::Tensor y = a.matmul(layer.weight.t()) * layer.weight_scale;  // s_w · a Wᵀ
  if (layer.bias.defined()) y = y + layer.bias * layer.bias_scale;  // + s_b · b
  return y;
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
    if (const auto* dense = std::get_if<DenseLayer>(&step)) a = apply_dense(*dense, a);
    else a = std::get<FixedMap>(step)(a);
  }
  return a;
}

std::vector<at::Tensor> DenseChain::parameters() const {
  std::vector<at::Tensor> out;
  for (const auto& step : steps) {
    if (const auto* dense = std::get_if<DenseLayer>(&step)) {
      if (trains(dense->weight)) out.push_back(dense->weight);
      if (trains(dense->bias)) out.push_back(dense->bias);
    }
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
    if (const auto* dense = std::get_if<DenseLayer>(&step)) {
      trace.inputs.push_back(a.detach());
      at::Tensor y = apply_dense(*dense, a);
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
  for (auto& g : per_output) trace.signals.push_back(torch::stack(g, 1));  // [n, c, out]
  return trace;
}

}  // namespace robustlab
