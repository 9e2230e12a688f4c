#pragma once
#include <nlohmann/json_fwd.hpp>

#include "runtime/environment.h"
#include "studies/study.h"

namespace robustlab {

// results.json: {"study", "seed", "models": {NAME: {"clean_accuracy", "critical_radius", ...}},
// "claims": [{"name", "expected", "measured", "pass"}], "seconds", "runtime": {...}, ...}.
// The "runtime" entry: device, BLAS kernels, thread counts, versions.
nlohmann::json runtime_json(const RuntimeEnvironment& env);

nlohmann::json results_json(const StudyResult& result, const RuntimeEnvironment& env, double seconds);

}  // namespace robustlab
