#pragma once
#include <string>

#include "experiment/result.h"
#include "runtime/environment.h"

namespace robustlab {

// report.md: the claim in words, the numbers per model, the checked claims, warnings, the tables
// marked for the report, the figures.
std::string report_markdown(const StudyResult& result, const RuntimeEnvironment& env, double seconds,
                            bool with_plots);

}  // namespace robustlab
