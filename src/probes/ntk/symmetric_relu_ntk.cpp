#include "probes/ntk/symmetric_relu_ntk.h"

namespace robustlab {
namespace {

// D(x) [n, m]: 1 where |⟨w_i, x⟩| > b_i.
at::Tensor switched_on(const SymmetricRelu& net, const at::Tensor& x) {
  torch::NoGradGuard no_grad;
  return (x.detach().matmul(net->weight.detach().t()).abs() > net->biases()).to(x.scalar_type());
}

}  // namespace

at::Tensor symmetric_relu_ntk(const SymmetricRelu& net, const at::Tensor& x1, const at::Tensor& x2) {
  return x1.matmul(x2.t()) * switched_on(net, x1).matmul(switched_on(net, x2).t());
}

}  // namespace robustlab
