#include "sweep/cell_process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "runtime/user_error.h"

namespace robustlab {

std::string robustlab_binary() { return std::filesystem::read_symlink("/proc/self/exe").string(); }

double seconds_since_epoch() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::vector<std::string> cell_arguments(const SweepSpec& spec, const SweepCell& cell, const SweepLayout& layout,
                                        int threads) {
  std::vector<std::string> args = {"run", spec.study, "--out", layout.cell_dir(cell)};
  for (const auto& set : cell_sets(spec, cell)) {
    args.push_back("--set");
    args.push_back(set);
  }
  for (const std::string& a : {std::string("--seed"), std::to_string(cell.seed), std::string("--threads"),
                               std::to_string(threads), std::string("-q")})
    args.push_back(a);
  return args;
}

StartedCell start_cell(const SweepSpec& spec, const SweepCell& cell, const SweepLayout& layout, int threads) {
  const std::string binary = robustlab_binary(), log = layout.log(cell);
  const std::vector<std::string> args = cell_arguments(spec, cell, layout, threads);
  std::vector<char*> argv = {const_cast<char*>(binary.c_str())};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  StartedCell started;
  started.attempt.state = "running";
  started.attempt.host = this_host();
  started.attempt.started = seconds_since_epoch();
  const pid_t pid = ::fork();
  if (pid < 0) throw UserError("cannot start a process for cell " + cell.id);
  if (pid == 0) {  // the child: only async-signal-safe calls until exec
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
    }
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  started.pid = pid;
  started.attempt.pid = pid;
  write_attempt(layout.attempt(cell), started.attempt);
  return started;
}

namespace {
std::string last_line(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}
}  // namespace

CellAttempt finish_cell(StartedCell started, int wait_status, const SweepLayout& layout, const SweepCell& cell) {
  CellAttempt& a = started.attempt;
  a.wall_seconds = seconds_since_epoch() - a.started;
  if (WIFEXITED(wait_status)) {
    a.exit_code = WEXITSTATUS(wait_status);
  } else {
    a.exit_code = 128 + WTERMSIG(wait_status);
  }
  // `run` exits 0 with a complete run directory; anything else is a failed cell.
  a.state = a.exit_code == 0 && cell_is_done(layout, cell) ? "done" : "failed";
  if (a.state == "failed") {
    a.error = WIFSIGNALED(wait_status) ? "killed by signal " + std::to_string(WTERMSIG(wait_status)) : last_line(layout.log(cell));
    if (a.error.empty()) a.error = "exit code " + std::to_string(a.exit_code);
  }
  write_attempt(layout.attempt(cell), a);
  return a;
}

CellAttempt run_cell(const SweepSpec& spec, const SweepCell& cell, const SweepLayout& layout, int threads) {
  StartedCell started = start_cell(spec, cell, layout, threads);
  int status = 0;
  while (::waitpid(started.pid, &status, 0) < 0 && errno == EINTR) {
  }
  return finish_cell(started, status, layout, cell);
}

}  // namespace robustlab
