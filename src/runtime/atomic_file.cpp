#include "runtime/atomic_file.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "runtime/user_error.h"

namespace robustlab {

void write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::string temporary = path + ".tmp-" + std::to_string(getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw UserError(path + ": cannot write (no such directory, disk full or no permission)");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) throw UserError(path + ": cannot replace it: " + ec.message());
}

}  // namespace robustlab
