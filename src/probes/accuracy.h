#pragma once
#include <ATen/core/Tensor.h>

#include "attacks/attack.h"

namespace robustlab {

// Fraction of examples the model classifies correctly (models/classification.h), in batches.
double accuracy(const Forward& forward, const at::Tensor& inputs, const at::Tensor& labels,
                int64_t batch_size = 4096);

}  // namespace robustlab
