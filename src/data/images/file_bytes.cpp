#include "data/images/file_bytes.h"

#include <zlib.h>

#include <filesystem>

#include "runtime/user_error.h"

namespace robustlab {

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw UserError(path + ": file not found");
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) throw UserError(path + ": cannot open for reading");
  std::vector<uint8_t> bytes;
  uint8_t chunk[1 << 16];
  for (;;) {
    const int got = gzread(file, chunk, sizeof chunk);
    if (got < 0) {
      int code = 0;
      const std::string message = gzerror(file, &code);
      gzclose(file);
      throw UserError(path + ": damaged gzip data (" + message + ")");
    }
    if (got == 0) break;
    bytes.insert(bytes.end(), chunk, chunk + got);
  }
  // A gzip stream cut short reads as a clean end of file; zlib reports it only on close.
  const int closed = gzclose(file);
  if (closed == Z_BUF_ERROR) throw UserError(path + ": truncated gzip data");
  if (closed != Z_OK) throw UserError(path + ": error reading the file");
  return bytes;
}

std::string first_existing(const std::vector<std::string>& candidates, const std::string& what) {
  for (const auto& path : candidates)
    if (std::filesystem::exists(path)) return path;
  std::string tried;
  for (const auto& path : candidates) tried += (tried.empty() ? "" : ", ") + path;
  throw UserError(what + ": file not found (looked for " + tried + ")");
}

}  // namespace robustlab
