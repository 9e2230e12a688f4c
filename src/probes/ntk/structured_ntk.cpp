#include "probes/ntk/structured_ntk.h"

#include "probes/ntk/jacobian_ntk.h"

namespace robustlab {
namespace {

// One dense layer's term, (s_w² A A'ᵀ + s_b²) ∘ (G G'ᵀ); undefined when nothing in it trains.
at::Tensor dense_term(const DenseLayer& dense, const at::Tensor& a1, const at::Tensor& a2, const at::Tensor& g1,
                      const at::Tensor& g2, NtkForm form) {
  const int64_t n1 = a1.size(0), n2 = a2.size(0), c = g1.size(1);
  const bool weight_trains = dense.weight.requires_grad();
  const bool bias_trains = dense.bias.defined() && dense.bias.requires_grad();
  if (!weight_trains && !bias_trains) return {};
  // K_l = s_w² A Aᵀ + s_b² over the parameters that train.
  at::Tensor inputs_gram = weight_trains ? a1.matmul(a2.t()) * (dense.weight_scale * dense.weight_scale)
                                         : torch::zeros({n1, n2}, a1.options());
  if (bias_trains) inputs_gram = inputs_gram + dense.bias_scale * dense.bias_scale;
  if (form == NtkForm::PerOutput) {
    const int64_t out = g1.size(2);
    const at::Tensor signal_gram = g1.reshape({n1 * c, out}).matmul(g2.reshape({n2 * c, out}).t()).view({n1, c, n2, c});
    return signal_gram * inputs_gram.view({n1, 1, n2, 1});
  }
  // Σ_a ⟨g_a(x_i), g_a(x'_j)⟩: one [n1, out]·[out, n2] product per output, batched over a.
  const at::Tensor signal_gram = g1.transpose(0, 1).bmm(g2.permute({1, 2, 0})).sum(0);
  return signal_gram * inputs_gram;
}

// A convolution's per-example gradients [n, c, |W| + |b|]. With U(x) = im2col(a(x)) [C·k·k, L]
// (the input patch at each of the L output positions) and G_a(x) [out, L] the signal there,
//     ∂f_a(x)/∂W = G_a(x) U(x)ᵀ   [out, C·k·k],      ∂f_a(x)/∂b = Σ_positions G_a(x),
// a weight shared over positions. Materialised (out·C·k·k numbers per example and output: few for
// the early layers of a CNN, which is where convolutions are) and contracted like Jacobians.
at::Tensor conv_gradients(const ConvLayer& conv, const at::Tensor& a, const at::Tensor& g) {
  const int64_t n = a.size(0), c = g.size(1), out = g.size(2);
  const at::Tensor signals = g.reshape({n, c * out, -1});  // [n, c·out, L]
  std::vector<at::Tensor> parts;
  if (conv.weight.requires_grad()) {
    const at::Tensor patches = at::im2col(a, {conv.weight.size(2), conv.weight.size(3)}, conv.dilation, conv.padding,
                                          conv.stride);  // [n, C·k·k, L]
    parts.push_back(signals.bmm(patches.transpose(1, 2)).reshape({n, c, -1}));
  }
  if (conv.bias.defined() && conv.bias.requires_grad()) parts.push_back(signals.sum(2).view({n, c, out}));
  return parts.empty() ? at::Tensor() : torch::cat(parts, 2);
}

// Σ_l of each layer's term, from the two traces.
at::Tensor contract_traces(const DenseChain& chain, const DenseTrace& t1, const DenseTrace& t2, NtkForm form) {
  torch::NoGradGuard no_grad;
  at::Tensor theta;
  size_t l = 0;
  for (const auto& step : chain.steps) {
    at::Tensor term;
    if (const auto* dense = std::get_if<DenseLayer>(&step)) {
      term = dense_term(*dense, t1.inputs[l], t2.inputs[l], t1.signals[l], t2.signals[l], form);
    } else if (const auto* conv = std::get_if<ConvLayer>(&step)) {
      const at::Tensor e1 = conv_gradients(*conv, t1.inputs[l], t1.signals[l]);
      if (e1.defined())
        term = contract_jacobians(e1, &t2 == &t1 ? e1 : conv_gradients(*conv, t2.inputs[l], t2.signals[l]), form);
    } else {
      continue;
    }
    ++l;
    if (term.defined()) theta = theta.defined() ? theta + term : term;
  }
  TORCH_CHECK(theta.defined(), "structured NTK: the chain has no trainable layer");
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
