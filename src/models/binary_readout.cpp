#include "models/binary_readout.h"

#include <limits>

namespace robustlab {

at::Tensor binary_readout(const at::Tensor& z, const at::Tensor& positive) {
  const double neg_inf = -std::numeric_limits<double>::infinity();
  return z.masked_fill(positive.logical_not(), neg_inf).logsumexp(1) -
         z.masked_fill(positive, neg_inf).logsumexp(1);
}

BinaryReadoutImpl::BinaryReadoutImpl(torch::nn::AnyModule classifier_, const at::Tensor& positive_)
    : classifier(std::move(classifier_)) {
  register_module("classifier", classifier.ptr());
  positive = register_buffer("positive", positive_.to(torch::kBool));
}

torch::Tensor BinaryReadoutImpl::forward(const torch::Tensor& x) {
  return binary_readout(classifier.forward(x), positive);
}

}  // namespace robustlab
