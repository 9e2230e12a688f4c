#pragma once
#include <string>

#include "runtime/environment.h"
#include "studies/study.h"

namespace robustlab {

// report.md: the claim in words, the numbers per model, the checked claims, the plots.
std::string report_markdown(const StudyResult& result, const RuntimeEnvironment& env,
                            double seconds, bool with_plots);

}  // namespace robustlab
