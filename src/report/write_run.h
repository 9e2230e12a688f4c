#pragma once
#include <string>
#include <vector>

#include "experiment/result.h"
#include "report/run_directory.h"
#include "runtime/environment.h"

namespace robustlab {

// One run as its files: the config text it was resolved to, and its result.
struct RunRecord {
  std::string config_toml;  // written as config.toml
  StudyResult result;
};

// Writes the run output contract into `out` and commits it (report/run_directory.h): config.toml,
// results.json, NAME.csv for every table, the figures (PNG, SVG), saved models, report.md. Over
// several seeds, `combined` goes at the top and each seed's run into seed-S/. A figure gnuplot
// cannot draw is said in report.md and on stderr; the run's numbers are kept.
void write_run(StagedDirectory& out, const RunRecord& combined, const std::vector<RunRecord>& per_seed,
               const RuntimeEnvironment& env, double seconds);

}  // namespace robustlab
