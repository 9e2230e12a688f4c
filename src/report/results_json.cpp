#include "report/results_json.h"

namespace robustlab {

nlohmann::json runtime_json(const RuntimeEnvironment& env) {
  return {{"device", env.device},
          {"blas_core", env.blas_core},
          {"cpu_isa", env.cpu_isa},
          {"torch_threads", env.torch_threads},
          {"blas_threads", env.blas_threads},
          {"torch_version", env.torch_version},
          {"robustlab_version", env.robustlab_version}};
}

nlohmann::json results_json(const StudyResult& r, const RuntimeEnvironment& env, double seconds) {
  using nlohmann::json;
  json models = json::object();
  for (const auto& m : r.models) {
    json entry = {{"clean_accuracy", m.clean_accuracy},
                  {"critical_radius", m.critical_radius ? json(*m.critical_radius) : json(nullptr)},
                  {"critical_radius_norm", r.norm}};
    for (const auto& [key, value] : m.metrics) entry[key] = value;
    models[m.name] = entry;
  }
  json claims = json::array();
  for (const auto& c : r.claims)
    claims.push_back({{"name", c.name}, {"expected", c.expected}, {"measured", c.measured}, {"pass", c.pass}});
  json scales = json::object();
  for (const auto& [name, value] : r.reference_scales) scales[name] = value;
  return {{"study", r.study},
          {"seed", r.seed},
          {"models", models},
          {"claims", claims},
          {"all_claims_pass", r.all_claims_pass()},
          {"reference_scales", scales},
          {"warnings", r.warnings},
          {"seconds", seconds},
          {"runtime", runtime_json(env)}};
}

}  // namespace robustlab
