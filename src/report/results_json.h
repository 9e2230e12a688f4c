#pragma once
#include <nlohmann/json_fwd.hpp>

#include "experiment/result.h"
#include "runtime/environment.h"

namespace robustlab {

// The "runtime" entry: device, BLAS kernels, thread counts, versions.
nlohmann::json runtime_json(const RuntimeEnvironment& env);

// results.json: {"study", "seed", "models": {NAME: {"clean_accuracy", "critical_radius", ...}},
// "claims": [{"name", "expected", "measured", "pass"}], "all_claims_pass", "warnings",
// "tables": {NAME: {"columns": [...], "rows": [[...]]}}, "figures", "seconds", "runtime"}; over
// several seeds also "seeds" and, per claim, "holds_on" and "seeds".
nlohmann::json results_json(const StudyResult& result, const RuntimeEnvironment& env, double seconds);

nlohmann::json table_json(const Table& table);
nlohmann::json warnings_json(const std::vector<Warning>& warnings);  // [{"model", "kind", "text"}]

}  // namespace robustlab
