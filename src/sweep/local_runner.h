// `robustlab sweep FILE`: the cells not yet done, `jobs` processes at a time on this machine.
#pragma once
#include "sweep/store.h"
#include "sweep/sweep_file.h"
#include "sweep/sweep_layout.h"

namespace robustlab {

struct LocalRunCounts {
  int ran = 0, failed = 0, skipped_done = 0;
};

// Runs every cell that is not done (failed ones again), at most `jobs` at once with `threads`
// threads each, recording each into the store as it ends. A failed cell is recorded with its
// error and does not stop the others. A progress line with ETA over the cells when not quiet.
LocalRunCounts run_cells_locally(const SweepSpec& spec, const std::vector<SweepCell>& cells,
                                 const SweepLayout& layout, SweepStore& store, int jobs, int threads);

// Threads per cell so that jobs × threads stays within the cores: `asked` if given (UserError
// when jobs × asked exceeds `cores`), else cores / jobs, at least 1.
int threads_per_cell(int jobs, int asked, int cores);

}  // namespace robustlab
