// A one-line progress display with ETA, redrawn in place on a terminal; silent when stderr is not
// a terminal or CI is set, so logs and CI output stay clean.
#pragma once
#include <chrono>
#include <string>

namespace robustlab {

class Progress {
 public:
  Progress(std::string label, long total);
  ~Progress();
  void advance(long by = 1);
  void finish();

  static void set_enabled(bool enabled);  // --quiet turns it off everywhere

 private:
  std::string label_;
  long total_;
  long done_ = 0;
  bool active_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace robustlab
