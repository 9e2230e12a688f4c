#include "sweep/local_runner.h"

#include <sys/wait.h>

#include <cerrno>
#include <map>

#include "runtime/progress.h"
#include "runtime/user_error.h"
#include "sweep/cell_process.h"

namespace robustlab {

int threads_per_cell(int jobs, int asked, int cores) {
  if (asked > 0) {
    if (static_cast<long>(jobs) * asked > cores)
      throw UserError("--jobs " + std::to_string(jobs) + " x --threads " + std::to_string(asked) + " exceeds the " +
                      std::to_string(cores) + " cores of this machine");
    return asked;
  }
  return std::max(1, cores / jobs);
}

LocalRunCounts run_cells_locally(const SweepSpec& spec, const std::vector<SweepCell>& cells,
                                 const SweepLayout& layout, SweepStore& store, int jobs, int threads) {
  LocalRunCounts counts;
  std::vector<const SweepCell*> todo;
  for (const auto& cell : cells) {
    if (cell_is_done(layout, cell)) ++counts.skipped_done;
    else todo.push_back(&cell);
  }
  Progress progress("sweep: " + std::to_string(todo.size()) + " cells", static_cast<long>(todo.size()));
  std::map<pid_t, std::pair<const SweepCell*, StartedCell>> running;
  size_t next = 0;
  while (next < todo.size() || !running.empty()) {
    while (next < todo.size() && running.size() < static_cast<size_t>(jobs)) {
      const SweepCell* cell = todo[next++];
      StartedCell started = start_cell(spec, *cell, layout, threads);
      running.emplace(started.pid, std::make_pair(cell, started));
    }
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw UserError("lost track of the cells' processes");
    }
    const auto it = running.find(pid);
    if (it == running.end()) continue;  // not a cell (none other is started here)
    const SweepCell& cell = *it->second.first;
    const CellAttempt attempt = finish_cell(it->second.second, status, layout, cell);
    running.erase(it);
    ++counts.ran;
    if (attempt.state == "failed") ++counts.failed;
    store.refresh(layout, {cell});  // only this parent writes the store
    progress.advance();
  }
  progress.finish();
  return counts;
}

}  // namespace robustlab
