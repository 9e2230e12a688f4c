// A cell runs as its own process: the same robustlab binary, `robustlab run STUDY --out CELL_DIR
// --set ... --seed S --threads T -q`, so that every cell is an ordinary run anyone can re-run
// alone, and a crash in one cell costs only that cell.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

#include "sweep/attempt.h"
#include "sweep/sweep_layout.h"

namespace robustlab {

// The robustlab binary running now (/proc/self/exe), which cells and Slurm tasks run again.
std::string robustlab_binary();

// The arguments after the binary's name.
std::vector<std::string> cell_arguments(const SweepSpec& spec, const SweepCell& cell, const SweepLayout& layout,
                                        int threads);

// Starts the cell's process with its output going to its log file; records the attempt as running.
struct StartedCell {
  pid_t pid = 0;
  CellAttempt attempt;
};
StartedCell start_cell(const SweepSpec& spec, const SweepCell& cell, const SweepLayout& layout, int threads);

// Completes the attempt from the process's wait status (exit code, wall time, and the log's last
// line when it failed) and writes it.
CellAttempt finish_cell(StartedCell started, int wait_status, const SweepLayout& layout, const SweepCell& cell);

// start_cell, wait for it, finish_cell: one cell in the foreground (a Slurm array task).
CellAttempt run_cell(const SweepSpec& spec, const SweepCell& cell, const SweepLayout& layout, int threads);

double seconds_since_epoch();

}  // namespace robustlab
