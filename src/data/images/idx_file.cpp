#include "data/images/idx_file.h"

#include "data/images/file_bytes.h"
#include "runtime/user_error.h"

namespace robustlab {
namespace {
constexpr uint64_t kMaxTrailingCount = 1 << 20;  // how many extra bytes are counted for the message
}  // namespace

at::Tensor read_idx(const std::string& path) {
  CompressedFile file(path);
  const std::vector<uint8_t> magic = file.read(4);
  if (magic.size() < 4 || magic[0] != 0 || magic[1] != 0) throw UserError(path + ": not an IDX file (bad magic number)");
  if (magic[2] != 0x08)
    throw UserError(path + ": IDX element type " + std::to_string(magic[2]) + " is not unsigned byte (8)");
  const size_t dims = magic[3];
  if (dims < 1 || dims > 4) throw UserError(path + ": IDX header declares " + std::to_string(dims) + " dimensions");
  const std::vector<uint8_t> sizes = file.read(4 * dims);
  if (sizes.size() < 4 * dims) throw UserError(path + ": truncated IDX header");

  // The element count from the header, refused before anything else is read (and inflated) when
  // a size is 0 or the product would not fit what a dataset file can hold.
  std::vector<int64_t> shape;
  uint64_t elements = 1;
  for (size_t i = 0; i < dims; ++i) {
    const uint8_t* p = &sizes[4 * i];
    const uint32_t size = (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
    if (size == 0) throw UserError(path + ": IDX header declares a dimension of size 0");
    if (__builtin_mul_overflow(elements, uint64_t{size}, &elements) || elements > kMaxIdxElements)
      throw UserError(path + ": IDX header declares more than " + std::to_string(kMaxIdxElements) + " values");
    shape.push_back(size);
  }
  std::vector<uint8_t> body = file.read(elements);
  if (body.size() < elements)
    throw UserError(path + ": truncated: header declares " + std::to_string(elements) + " values, file holds " +
                    std::to_string(body.size()));
  if (!file.at_end()) {
    const uint64_t more = 1 + file.read(kMaxTrailingCount).size();  // at_end read one of them
    throw UserError(path + ": " + (more > kMaxTrailingCount ? "more than " : "") + std::to_string(std::min(more, kMaxTrailingCount)) +
                    " bytes after the values the header declares");
  }
  return torch::from_blob(body.data(), shape, torch::kUInt8).clone();
}

}  // namespace robustlab
