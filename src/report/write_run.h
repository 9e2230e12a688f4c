#pragma once
#include <string>

#include "config/config.h"
#include "runtime/environment.h"
#include "studies/study.h"

namespace robustlab {

// Writes every file of the run output contract into dir (atomically, see run_directory.h):
// config.toml, results.json, robust_accuracy.csv, cosine_<model>.csv, plots, report.md.
void write_run(const std::string& dir, bool replace, const StudyResult& result, const Config& config,
               const RuntimeEnvironment& env, double seconds);

}  // namespace robustlab
