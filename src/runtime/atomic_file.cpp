#include "runtime/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "runtime/output_directory.h"
#include "runtime/user_error.h"

namespace robustlab {

void write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::string temporary = path + ".tmp-" + std::to_string(getpid());
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw UserError(path + ": cannot write (" + std::string(strerror(errno)) + ")");
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  // On the disk before the rename makes it the file: a crash leaves the old file or the new one.
  const bool ok = written == bytes.size() && fsync(fd) == 0;
  close(fd);
  if (!ok) {
    unlink(temporary.c_str());
    throw UserError(path + ": cannot write (disk full or no permission)");
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    unlink(temporary.c_str());
    throw UserError(path + ": cannot replace it: " + ec.message());
  }
  const std::string parent = std::filesystem::path(path).parent_path().string();
  sync_path(parent.empty() ? "." : parent);
}

}  // namespace robustlab
