#include "probes/ntk/structured_ntk.h"

namespace robustlab {
namespace {

// Σ_l (s_w² A_l A'_lᵀ + s_b²) ∘ (G_l G'_lᵀ), over the chain's dense layers, from the two traces.
at::Tensor contract_traces(const DenseChain& chain, const DenseTrace& t1, const DenseTrace& t2, NtkForm form) {
  torch::NoGradGuard no_grad;
  const int64_t c = t1.outputs;
  at::Tensor theta;
  size_t l = 0;
  for (const auto& step : chain.steps) {
    const auto* dense = std::get_if<DenseLayer>(&step);
    if (!dense) continue;
    const at::Tensor& a1 = t1.inputs[l];
    const at::Tensor& a2 = t2.inputs[l];
    const at::Tensor& g1 = t1.signals[l];  // [n1, c, out]
    const at::Tensor& g2 = t2.signals[l];
    const int64_t n1 = a1.size(0), n2 = a2.size(0);
    ++l;
    const bool weight_trains = dense->weight.requires_grad();
    const bool bias_trains = dense->bias.defined() && dense->bias.requires_grad();
    if (!weight_trains && !bias_trains) continue;
    // K_l = s_w² A Aᵀ + s_b² over the parameters that train.
    at::Tensor inputs_gram = weight_trains ? a1.matmul(a2.t()) * (dense->weight_scale * dense->weight_scale)
                                           : torch::zeros({n1, n2}, a1.options());
    if (bias_trains) inputs_gram = inputs_gram + dense->bias_scale * dense->bias_scale;
    at::Tensor layer;
    if (form == NtkForm::PerOutput) {
      const int64_t out = g1.size(2);
      const at::Tensor signal_gram = g1.reshape({n1 * c, out}).matmul(g2.reshape({n2 * c, out}).t()).view({n1, c, n2, c});
      layer = signal_gram * inputs_gram.view({n1, 1, n2, 1});
    } else {
      // Σ_a ⟨g_a(x_i), g_a(x'_j)⟩: one [n1, out]·[out, n2] product per output, batched over a.
      const at::Tensor signal_gram = g1.transpose(0, 1).bmm(g2.permute({1, 2, 0})).sum(0);
      layer = signal_gram * inputs_gram;
    }
    theta = theta.defined() ? theta + layer : layer;
  }
  TORCH_CHECK(theta.defined(), "structured NTK: the chain has no trainable dense layer");
  return theta;
}

}  // namespace

at::Tensor structured_ntk(const DenseChain& chain, const at::Tensor& x1, const at::Tensor& x2, NtkForm form) {
  const DenseTrace t1 = trace_dense_chain(chain, x1);
  if (x2.is_same(x1)) return contract_traces(chain, t1, t1, form);
  return contract_traces(chain, t1, trace_dense_chain(chain, x2), form);
}

at::Tensor structured_ntk(const DenseChain& chain, const at::Tensor& x, NtkForm form) {
  return structured_ntk(chain, x, x, form);
}

}  // namespace robustlab
