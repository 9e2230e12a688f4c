// `robustlab sweep`: grids of runs (src/sweep/).
//   robustlab sweep FILE [--jobs N] [--out DIR]   run every cell not done, N processes at a time
//   robustlab sweep FILE --slurm [...]            submit the cells not done as a Slurm job array
//   robustlab sweep status DIR                    cells done / running / failed / left, with ETA
//   robustlab sweep report DIR                    tables, figures and report.md across the grid
//   robustlab sweep cell DIR ID                   run one cell (what each Slurm array task does)
#pragma once
#include <optional>
#include <string>

#include "cli/common_options.h"

namespace robustlab {

struct SweepCommandOptions {
  std::string file, out;
  int jobs = 1;
  bool slurm = false;
  std::optional<int64_t> cpus_per_task;
  std::optional<std::string> time, mem, partition, account;
  std::string dir, cell, metric;  // status, report, cell
  RuntimeFlags runtime;
  CLI::App *status = nullptr, *report = nullptr, *run_cell = nullptr;
};

void add_sweep_command(CLI::App& app, SweepCommandOptions& options, CLI::App*& command);
int run_sweep_command(const SweepCommandOptions& options);

}  // namespace robustlab
