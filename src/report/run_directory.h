// A run's output directory appears complete or not at all: files are written into a staging
// directory beside it ("DIR.partial-PID"), which takes DIR's place only once everything is there,
// in one atomic exchange when an old run is replaced (so that a crash leaves the old run or the new
// one, never neither). A run that fails or is killed leaves at most a .partial directory, which the
// next run there removes, never a DIR that looks done.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "runtime/output_directory.h"

namespace robustlab {

class StagedDirectory {
 public:
  // Checks, before any work: UserError when final_path exists and replace is not set, or may not
  // be written or replaced (runtime/output_directory.h: not a run, ".", an ancestor of the working
  // directory, one of `inputs`). Holds a lock on final_path against a second writer until done.
  StagedDirectory(std::string final_path, bool replace, const std::vector<std::string>& inputs);
  ~StagedDirectory();  // removes the staging directory if commit() was not reached

  std::string path(const std::string& file) const;  // where to write a file now
  void write(const std::string& file, const std::string& contents) const;
  void commit();  // marks it as a run, flushes it to the disk, and puts it in place

  const std::string& final_path() const { return final_; }

 private:
  std::string final_, staging_;
  bool replace_, committed_ = false;
  std::unique_ptr<WriterLock> lock_;
};

}  // namespace robustlab
