// Data augmentation for CIFAR-like images, as in the standard CIFAR training recipe: pad each
// image by `padding` zero pixels on every side, cut a random H×W window out of it, and mirror it
// left-right with probability 1/2. Drawn per example from the given generator.
#pragma once
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

namespace robustlab {

at::Tensor random_crop_flip(const at::Tensor& images, int64_t padding, at::Generator& generator);  // [n, C, H, W]

}  // namespace robustlab
