// The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
//   bytes 0–1  zero;  byte 2  element type (0x08 = unsigned byte);  byte 3  number of dims D;
//   then D big-endian uint32 sizes, then the elements in row-major order.
// Images are [n, 28, 28] (D = 3), labels [n] (D = 1). Gzip or plain.
#pragma once
#include <ATen/core/Tensor.h>
#include <cstdint>
#include <string>

namespace robustlab {

// The file as a uint8 tensor of its declared shape. UserError naming the file on a missing file,
// a bad magic number, an element type other than unsigned byte, a dimension of 0, more than
// kMaxIdxElements values, or a size that does not match the header (truncated or with bytes left
// over). The header is checked before the rest of the file is read.
constexpr uint64_t kMaxIdxElements = uint64_t{1} << 32;  // 4 GiB of pixels: 70 000 × 28 × 28 is 55 M
at::Tensor read_idx(const std::string& path);

}  // namespace robustlab
