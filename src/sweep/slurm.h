// `robustlab sweep FILE --slurm`: the cells not done as one Slurm job array. Each array task runs
// `robustlab sweep cell DIR ID`, which runs the cell exactly as a local worker does and writes its
// run directory and attempt record. Tasks never write the store: SQLite's locking is unreliable on
// the network filesystems clusters share, so `sweep status` and `sweep report` fill the store from
// the run directories instead.
#pragma once
#include <string>
#include <vector>

#include "sweep/sweep_file.h"
#include "sweep/sweep_layout.h"

namespace robustlab {

// The sbatch script for a job array over `cells` (task i runs cells[i]).
std::string sbatch_script(const SweepLayout& layout, const SlurmSettings& slurm, const std::vector<SweepCell>& cells,
                          const std::string& binary);

// Writes the script into DIR/slurm/, submits it with `sbatch --parsable` and returns the job id;
// UserError with sbatch's message when it is refused or sbatch is missing.
std::string submit_array(const SweepLayout& layout, const SlurmSettings& slurm, const std::vector<SweepCell>& cells);

}  // namespace robustlab
