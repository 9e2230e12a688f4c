// A network read as a chain of steps, the form the structured NTK (structured_ntk.h) works on:
//     a_0 = x,   a_k = step_k(a_{k−1}),   f(x) = a_K  ([n] for one output, or [n, c]),
// where each step is either a dense layer
//     y = s_w · a Wᵀ + s_b · b          (W [out, in], b [out] or none; a [n, in])
// or a 2-d convolution
//     y = W ⋆ a + b                     (W [out, C, k, k], b [out] or none; a [n, C, H, W])
// whose W and b are the parameters θ of the NTK (those that require grad), or a parameter-free map
// that acts on each example on its own (an elementwise activation, pooling, flatten, input
// normalisation, a fixed readout). The scales s_w, s_b express the NTK parameterisation
// (s_w = σ_w/√in, s_b = σ_b); torch::nn::Linear is s_w = s_b = 1.
#pragma once
#include <ATen/core/Tensor.h>
#include <functional>
#include <variant>
#include <vector>

namespace robustlab {

struct DenseLayer {
  at::Tensor weight;  // W [out, in]
  at::Tensor bias;    // b [out], or undefined
  double weight_scale = 1.0;
  double bias_scale = 1.0;
};

// A torch::nn::Conv2d's weights and geometry (groups 1).
struct ConvLayer {
  at::Tensor weight;  // W [out, C, kh, kw]
  at::Tensor bias;    // b [out], or undefined
  std::vector<int64_t> stride = {1, 1}, padding = {0, 0}, dilation = {1, 1};
};

using FixedMap = std::function<at::Tensor(const at::Tensor&)>;

struct DenseChain {
  std::vector<std::variant<DenseLayer, ConvLayer, FixedMap>> steps;

  at::Tensor forward(const at::Tensor& x) const;
  std::vector<at::Tensor> parameters() const;  // the W and b that require grad, in order
};

// What one traced forward of a batch records for each layer l with parameters (dense or conv):
//     inputs[l]  = A_l [n, in] (conv: [n, C, H, W]), the layer's input a per example,
//     signals[l] = G_l [n, c, out] (conv: [n, c, out, H', W']), G_l[i, a] = ∂f_a(x_i)/∂y_l(x_i),
//                  the signal back-propagated from output a to the layer's output.
// G_l comes from c backward passes over the whole batch, one per output a, each of Σ_i f_a(x_i):
// since the examples do not interact, ∂(Σ_i f_a(x_i))/∂y_l(x_j) = ∂f_a(x_j)/∂y_l(x_j).
struct DenseTrace {
  std::vector<at::Tensor> inputs;
  std::vector<at::Tensor> signals;
  int64_t outputs = 0;  // c
};

DenseTrace trace_dense_chain(const DenseChain& chain, const at::Tensor& x);

}  // namespace robustlab
