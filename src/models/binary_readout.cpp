#include "models/binary_readout.h"

#include <limits>

namespace robustlab {

at::Tensor binary_readout(const at::Tensor& z, const at::Tensor& positive) {
  const double neg_inf = -std::numeric_limits<double>::infinity();
  return z.masked_fill(positive.logical_not(), neg_inf).logsumexp(1) -
         z.masked_fill(positive, neg_inf).logsumexp(1);
}

}  // namespace robustlab
