#include "sweep/attempt.h"

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "runtime/atomic_file.h"

namespace robustlab {

void write_attempt(const std::string& path, const CellAttempt& a) {
  const nlohmann::json j = {{"state", a.state},   {"host", a.host},           {"pid", a.pid},
                            {"started", a.started}, {"wall_seconds", a.wall_seconds},
                            {"exit_code", a.exit_code}, {"error", a.error}};
  write_file_atomically(path, j.dump(1) + "\n");
}

std::optional<CellAttempt> read_attempt(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    CellAttempt a;
    a.state = j.at("state");
    a.host = j.at("host");
    a.pid = j.at("pid");
    a.started = j.at("started");
    a.wall_seconds = j.at("wall_seconds");
    a.exit_code = j.at("exit_code");
    a.error = j.at("error");
    return a;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // written atomically, so only a hand-edited file gets here
  }
}

bool attempt_is_live(const CellAttempt& a) {
  if (a.state != "running") return false;
  if (a.host != this_host()) return true;  // another node's process: it cannot be checked from here
  if (a.pid <= 0 || ::kill(static_cast<pid_t>(a.pid), 0) != 0) return false;
  // A killed process may linger as a zombie until its parent (or PID 1) reaps it: that is dead.
  std::ifstream stat("/proc/" + std::to_string(a.pid) + "/stat");
  std::string pid, name, state;
  stat >> pid >> name >> state;  // "123 (robustlab) Z ..." (the name has no spaces here)
  return state != "Z";
}

std::string this_host() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

}  // namespace robustlab
