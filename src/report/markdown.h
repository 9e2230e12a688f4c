#pragma once
#include <string>
#include <vector>

#include "experiment/result.h"
#include "runtime/environment.h"

namespace robustlab {

// Which figures gnuplot drew, and which it could not (with why).
struct FiguresDrawn {
  std::vector<std::string> drawn, failed;
};

// report.md: the claim in words, the numbers per model, the checked claims, warnings, the tables
// marked for the report, the figures drawn (figures null: gnuplot was not found).
std::string report_markdown(const StudyResult& result, const RuntimeEnvironment& env, double seconds,
                            const FiguresDrawn* figures);

}  // namespace robustlab
