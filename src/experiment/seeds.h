// `--seeds N`: a study run on seeds s, s+1, ..., s+N−1, and one result combining them. A claim of
// the combined result holds only if it holds on every seed ("holds on 5/5 seeds"); tables merge
// rows with equal keys into their mean with standard deviation, minimum and maximum beside each
// value; figures are the same declarations, drawn with bands; model numbers are averaged.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "experiment/result.h"
#include "experiment/study.h"

namespace robustlab {

// config_of(seed): the resolved config text of that seed's run (saved with its models).
std::vector<StudyResult> run_seeds(const PreparedRun& run, RunContext context, uint64_t first_seed, int64_t count,
                                   const std::function<std::string(uint64_t seed)>& config_of);

// std::logic_error for an empty list; one result is returned as it is.
StudyResult combine_seeds(const std::vector<StudyResult>& per_seed);

// One table over seeds: rows merged by their key columns, each value column replaced by its mean
// and followed by NAME_sd, NAME_min and NAME_max; the seed column is dropped.
Table combine_tables(const std::vector<const Table*>& per_seed);

}  // namespace robustlab
