// The record of one try at a cell: written when its process starts ("running") and again when it
// ends ("done" or "failed", with the exit code and the error line). The run directory holds the
// cell's results; this holds what the run directory cannot: the host, the wall time including
// the process start, and why a cell failed.
#pragma once
#include <optional>
#include <string>

namespace robustlab {

struct CellAttempt {
  std::string state;  // "running", "done" or "failed"
  std::string host;
  long pid = 0;
  double started = 0;       // seconds since the epoch
  double wall_seconds = 0;  // the whole process, start to exit
  int exit_code = 0;
  std::string error;        // the last line the cell's process printed, when it failed
};

void write_attempt(const std::string& path, const CellAttempt& attempt);  // atomically
std::optional<CellAttempt> read_attempt(const std::string& path);         // nullopt: none, or unreadable

// A "running" attempt whose process is gone (it ran on this host and no such pid is alive) was
// killed; such a cell is left to run again.
bool attempt_is_live(const CellAttempt& attempt);

std::string this_host();

}  // namespace robustlab
