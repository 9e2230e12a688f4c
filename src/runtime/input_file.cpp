#include "runtime/input_file.h"

#include <filesystem>
#include <fstream>

#include "runtime/user_error.h"

namespace fs = std::filesystem;

namespace robustlab {

void require_regular_file(const std::string& path, const std::string& what) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);  // follows symlinks; a loop is an error here
  if (ec && ec != std::errc::no_such_file_or_directory) throw UserError(what + " " + path + ": " + ec.message());
  if (!fs::exists(status)) throw UserError(what + " " + path + ": file not found");
  if (fs::is_directory(status)) throw UserError(what + " " + path + ": is a directory, not a file");
  if (!fs::is_regular_file(status))
    throw UserError(what + " " + path + ": not a regular file (a FIFO, socket or device cannot be read as one)");
}

std::vector<uint8_t> read_input_file(const std::string& path, uint64_t max_bytes, const std::string& what) {
  require_regular_file(path, what);
  std::error_code ec;
  const uint64_t size = fs::file_size(path, ec);
  if (ec) throw UserError(what + " " + path + ": " + ec.message());
  if (size > max_bytes)
    throw UserError(what + " " + path + ": " + std::to_string(size) + " bytes, more than the " +
                    std::to_string(max_bytes) + " robustlab reads from such a file");
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes(size);
  if (!in || !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)))
    throw UserError(what + " " + path + ": cannot be read");
  return bytes;
}

}  // namespace robustlab
