#include "runtime/output_directory.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include "runtime/user_error.h"

namespace fs = std::filesystem;

namespace robustlab {
namespace {

// The absolute, normalised path, following the symlinks of the part that exists.
fs::path resolved(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) throw UserError(path + ": " + ec.message());
  return p;
}

// a == b, or a is a directory above b.
bool contains(const fs::path& a, const fs::path& b) {
  auto ai = a.begin(), bi = b.begin();
  for (; ai != a.end() && !ai->empty(); ++ai, ++bi)
    if (bi == b.end() || *ai != *bi) return false;
  return true;
}

bool process_running(long pid) { return pid > 0 && (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

}  // namespace

bool is_robustlab_run(const std::string& dir) {
  std::error_code ec;
  return fs::is_regular_file(fs::path(dir) / kRunMarker, ec);
}

void mark_as_run(const std::string& dir) {
  std::ofstream(fs::path(dir) / kRunMarker) << "A robustlab run directory: robustlab may replace it with --force.\n";
}

void check_output_path(const std::string& path, const std::vector<std::string>& inputs, const std::string& flag) {
  const fs::path out = resolved(path);
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (!ec && contains(out, cwd))
    throw UserError(flag + " " + path + ": is the working directory or contains it; choose a directory of its own");
  for (const auto& input : inputs) {
    if (input.empty()) continue;
    if (contains(out, resolved(input)))
      throw UserError(flag + " " + path + ": is or contains " + input + ", which this run reads");
  }
}

void check_replaceable(const std::string& dir, const std::string& flag) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return;
  if (!fs::is_directory(dir, ec)) throw UserError(flag + " " + dir + ": exists and is not a directory");
  if (!is_robustlab_run(dir))
    throw UserError(flag + " " + dir + ": exists and is not a robustlab run directory (no " + kRunMarker +
                    "); --force replaces only runs");
}

WriterLock::WriterLock(std::string lock_file, const std::string& what) : path_(std::move(lock_file)) {
  fd_ = open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw UserError(path_ + ": cannot create a lock file (" + std::string(strerror(errno)) + ")");
  if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    close(fd_);
    fd_ = -1;
    throw UserError(what + " is being written by another robustlab process (" + path_ + " is locked)");
  }
}

WriterLock::~WriterLock() {
  if (fd_ < 0) return;
  unlink(path_.c_str());
  flock(fd_, LOCK_UN);
  close(fd_);
}

void remove_stale_leftovers(const std::string& stem) {
  std::error_code ec;
  const fs::path p = fs::absolute(stem, ec);
  auto stale = [](const std::string& name, const std::string& prefix) {
    if (name.rfind(prefix, 0) != 0) return false;
    const std::string digits = name.substr(prefix.size());
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return false;
    return !process_running(std::stol(digits));
  };
  const std::string name = p.filename().string();
  for (const auto& e : fs::directory_iterator(p.parent_path(), ec)) {
    const std::string other = e.path().filename().string();
    if (stale(other, name + ".partial-") || stale(other, name + ".tmp-") || stale(other, name + ".replaced-"))
      fs::remove_all(e.path(), ec);
  }
  if (fs::is_directory(p, ec))
    for (const auto& e : fs::directory_iterator(p, ec)) {
      const std::string file = e.path().filename().string();
      const auto at = file.rfind(".tmp-");
      if (at != std::string::npos && stale(file, file.substr(0, at) + ".tmp-")) fs::remove(e.path(), ec);
    }
}

void sync_path(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  fsync(fd);
  close(fd);
}

}  // namespace robustlab
