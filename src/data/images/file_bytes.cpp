#include "data/images/file_bytes.h"

#include <zlib.h>

#include <filesystem>

#include "runtime/input_file.h"
#include "runtime/user_error.h"

namespace robustlab {

CompressedFile::CompressedFile(std::string path) : path_(std::move(path)) {
  require_regular_file(path_, "data file");
  file_ = gzopen(path_.c_str(), "rb");
  if (!file_) throw UserError(path_ + ": cannot open for reading");
}

CompressedFile::~CompressedFile() { gzclose(static_cast<gzFile>(file_)); }

std::vector<uint8_t> CompressedFile::read(uint64_t n) {
  std::vector<uint8_t> bytes;
  uint8_t chunk[1 << 16];
  while (bytes.size() < n) {
    const unsigned want = static_cast<unsigned>(std::min<uint64_t>(sizeof chunk, n - bytes.size()));
    const int got = gzread(static_cast<gzFile>(file_), chunk, want);
    if (got < 0) {
      int code = 0;
      throw UserError(path_ + ": damaged gzip data (" + gzerror(static_cast<gzFile>(file_), &code) + ")");
    }
    if (got == 0) break;
    bytes.insert(bytes.end(), chunk, chunk + got);
  }
  return bytes;
}

bool CompressedFile::at_end() {
  uint8_t byte = 0;
  const int got = gzread(static_cast<gzFile>(file_), &byte, 1);
  int code = Z_OK;
  const std::string message = got < 0 ? gzerror(static_cast<gzFile>(file_), &code) : "";
  if (got < 0) throw UserError(path_ + ": damaged gzip data (" + message + ")");
  if (got > 0) return false;
  // A gzip stream cut short reads as a clean end; zlib says so only through its error state.
  gzerror(static_cast<gzFile>(file_), &code);
  if (code == Z_BUF_ERROR) throw UserError(path_ + ": truncated gzip data");
  return true;
}

std::vector<uint8_t> read_file_bytes(const std::string& path, uint64_t max_bytes) {
  CompressedFile file(path);
  std::vector<uint8_t> bytes = file.read(max_bytes);
  if (!file.at_end())
    throw UserError(path + ": more than " + std::to_string(max_bytes) + " bytes once decompressed");
  return bytes;
}

std::string first_existing(const std::vector<std::string>& candidates, const std::string& what) {
  for (const auto& path : candidates) {
    std::error_code ec;
    if (std::filesystem::exists(std::filesystem::symlink_status(path, ec))) return path;
  }
  std::string tried;
  for (const auto& path : candidates) tried += (tried.empty() ? "" : ", ") + path;
  throw UserError(what + ": file not found (looked for " + tried + ")");
}

}  // namespace robustlab
