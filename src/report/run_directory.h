// A run's output directory appears complete or not at all: files are written into a staging
// directory beside it ("DIR.partial-PID"), which is renamed to DIR only once everything is there.
// A run that fails or is killed leaves at most a .partial directory, never a DIR that looks done.
#pragma once
#include <string>

namespace robustlab {

class StagedDirectory {
 public:
  // Refuses (UserError) if final_path exists, unless replace is set.
  StagedDirectory(std::string final_path, bool replace);
  ~StagedDirectory();  // removes the staging directory if commit() was not reached

  std::string path(const std::string& file) const;  // where to write a file now
  void write(const std::string& file, const std::string& contents) const;
  void commit();  // rename to the final path

  const std::string& final_path() const { return final_; }

 private:
  std::string final_, staging_;
  bool replace_, committed_ = false;
};

}  // namespace robustlab
