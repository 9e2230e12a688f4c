#include "data/images/idx_file.h"

#include "data/images/file_bytes.h"
#include "runtime/user_error.h"

namespace robustlab {

at::Tensor read_idx(const std::string& path) {
  const std::vector<uint8_t> bytes = read_file_bytes(path);
  if (bytes.size() < 4 || bytes[0] != 0 || bytes[1] != 0)
    throw UserError(path + ": not an IDX file (bad magic number)");
  if (bytes[2] != 0x08)
    throw UserError(path + ": IDX element type " + std::to_string(bytes[2]) +
                    " is not unsigned byte (8)");
  const size_t dims = bytes[3];
  if (dims < 1 || dims > 4) throw UserError(path + ": IDX header declares " + std::to_string(dims) + " dimensions");
  const size_t header = 4 + 4 * dims;
  if (bytes.size() < header) throw UserError(path + ": truncated IDX header");

  std::vector<int64_t> shape;
  size_t elements = 1;
  for (size_t i = 0; i < dims; ++i) {
    const uint8_t* p = &bytes[4 + 4 * i];
    const uint32_t size = (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
    shape.push_back(size);
    elements *= size;
  }
  const size_t body = bytes.size() - header;
  if (body < elements)
    throw UserError(path + ": truncated: header declares " + std::to_string(elements) +
                    " values, file holds " + std::to_string(body));
  if (body > elements)
    throw UserError(path + ": " + std::to_string(body - elements) +
                    " bytes after the values the header declares");
  return torch::from_blob(const_cast<uint8_t*>(bytes.data() + header), shape, torch::kUInt8).clone();
}

}  // namespace robustlab
