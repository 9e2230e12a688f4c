// Where a sweep keeps its things, all under one directory (the --out of `robustlab sweep`):
//
//     DIR/sweep.toml           the sweep file as given (status, report and Slurm tasks read it)
//     DIR/sweep.db             the results store (sweep/store.h)
//     DIR/cells/ID/            each cell's ordinary run directory (config.toml, results.json, ...)
//     DIR/attempts/ID.json     who ran a cell, when, how long, and how it ended (sweep/attempt.h)
//     DIR/logs/ID.log          what a cell's process printed
//     DIR/slurm/               sbatch scripts and the tasks' output
//     DIR/report/              `sweep report`'s tables, figures and report.md (a run directory)
#pragma once
#include <string>

#include "sweep/sweep_file.h"

namespace robustlab {

struct SweepLayout {
  std::string root;
  std::string sweep_file() const { return root + "/sweep.toml"; }
  std::string store() const { return root + "/sweep.db"; }
  std::string lock() const { return root + "/.sweep.lock"; }
  std::string cell_dir(const SweepCell& c) const { return root + "/cells/" + c.id; }
  std::string attempt(const SweepCell& c) const { return root + "/attempts/" + c.id + ".json"; }
  std::string log(const SweepCell& c) const { return root + "/logs/" + c.id + ".log"; }
  std::string slurm_dir() const { return root + "/slurm"; }
  std::string report_dir() const { return root + "/report"; }
};

// A cell is done iff its run directory is complete. Run directories appear whole or not at all
// (report/run_directory.h), so a results.json inside a marked run directory is the whole test.
bool cell_is_done(const SweepLayout& layout, const SweepCell& cell);

// The sweep in an existing sweep directory (UserError when DIR is not one).
SweepSpec read_sweep_in(const SweepLayout& layout);

// Prepares DIR for `sweep_text` (the sweep file's bytes): creates it, or checks that it holds the
// same sweep (a resume). UserError when DIR holds a different sweep, or is a non-empty directory
// that is not a sweep: nothing there is replaced.
void claim_sweep_dir(const SweepLayout& layout, const std::string& sweep_text);

}  // namespace robustlab
