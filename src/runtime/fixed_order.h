// Sums whose last bits do not depend on the thread count. LibTorch splits a reduction to one
// number over more than 32768 elements among its threads, so how it rounds depends on how many
// there are; a reduction along a dimension never splits one output between threads. These reduce
// rows of a fixed length along a dimension, then add the row sums one by one, in float64: the
// same bits with 1 thread or 64. For statistics of whole datasets (normalisation, feature scales).
#pragma once
#include <ATen/core/Tensor.h>

namespace robustlab {

double fixed_order_sum(const at::Tensor& values);   // over every element
double fixed_order_mean(const at::Tensor& values);  // 0 for no elements

}  // namespace robustlab
