// CIFAR-10's binary version (https://www.cs.toronto.edu/~kriz/cifar.html): each file is a run of
// 3073-byte records, one label byte (0–9) followed by 32×32 red, then green, then blue bytes.
// Training data is data_batch_1.bin .. data_batch_5.bin, test data test_batch.bin.
#pragma once
#include <ATen/core/Tensor.h>
#include <string>
#include <utility>

namespace robustlab {

// (images [n, 3, 32, 32] uint8, labels [n] int64). UserError naming the file when its size is not
// a whole number of records or a label is not a CIFAR-10 class.
std::pair<at::Tensor, at::Tensor> read_cifar10_batch(const std::string& path);

}  // namespace robustlab
