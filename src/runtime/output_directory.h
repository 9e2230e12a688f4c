// Where a robustlab run may write, and what it may replace. A run directory holds a marker file;
// --force replaces only a directory that holds one, never ".", the working directory or one of
// its ancestors, nor anything the run reads (its config, data root, model file). A directory being
// written is locked against a second writer, and what killed writers left behind (DIR.partial-PID,
// FILE.tmp-PID of processes no longer running) is removed by the next writer.
#pragma once
#include <string>
#include <vector>

namespace robustlab {

constexpr const char* kRunMarker = ".robustlab-run";

bool is_robustlab_run(const std::string& dir);
void mark_as_run(const std::string& dir);  // writes the marker

// UserError when `path` may not be written: it is ".", the working directory or an ancestor of it,
// or equal to or an ancestor of one of `inputs`; and, for an existing directory to be replaced, when
// it is not a robustlab run. `flag` names the option in messages ("--out").
void check_output_path(const std::string& path, const std::vector<std::string>& inputs, const std::string& flag);
void check_replaceable(const std::string& dir, const std::string& flag);

// Exclusive for the object's life, for this process only (an flock on `lock_file`, created if
// missing and removed when released): UserError when another process holds it.
class WriterLock {
 public:
  WriterLock(std::string lock_file, const std::string& what);
  ~WriterLock();
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  std::string path_;
  int fd_ = -1;
};

// Removes `stem.partial-PID` directories and `stem.tmp-PID` files beside `stem` (and, for a
// directory, `*.tmp-PID` files inside it) whose PID is not a running process.
void remove_stale_leftovers(const std::string& stem);

// Flushes a file or a directory (its entries) to the disk, so that a rename after it is durable.
void sync_path(const std::string& path);

}  // namespace robustlab
