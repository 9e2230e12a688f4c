#include "report/results_json.h"

#include <nlohmann/json.hpp>

namespace robustlab {

nlohmann::json runtime_json(const RuntimeEnvironment& env) {
  return {{"device", env.device},
          {"blas_core", env.blas_core},
          {"cpu_isa", env.cpu_isa},
          {"onednn_isa", env.onednn_isa},
          {"torch_threads", env.torch_threads},
          {"blas_threads", env.blas_threads},
          {"torch_version", env.torch_version},
          {"robustlab_version", env.robustlab_version}};
}

nlohmann::json table_json(const Table& t) {
  using nlohmann::json;
  json columns = json::array(), rows = json::array();
  for (const auto& c : t.columns) columns.push_back(c.name);
  for (const auto& row : t.rows) {
    json r = json::array();
    for (const auto& cell : row) std::visit([&](const auto& v) { r.push_back(v); }, cell);
    rows.push_back(r);
  }
  return {{"columns", columns}, {"rows", rows}};
}

nlohmann::json warnings_json(const std::vector<Warning>& warnings) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& w : warnings) out.push_back({{"model", w.model}, {"kind", w.kind}, {"text", w.text}});
  return out;
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
  for (const auto& c : r.claims) {
    json claim = {{"name", c.name}, {"expected", c.expected}, {"measured", c.measured}, {"pass", c.pass}};
    if (!c.seeds.empty()) {
      int held = 0;
      json seeds = json::array();
      for (const auto& s : c.seeds) {
        held += s.pass;
        seeds.push_back({{"seed", s.seed}, {"measured", s.measured}, {"pass", s.pass}});
      }
      claim["holds_on"] = std::to_string(held) + "/" + std::to_string(c.seeds.size());
      claim["seeds"] = seeds;
    }
    claims.push_back(claim);
  }
  json scales = json::object();
  for (const auto& [name, value] : r.scales) scales[name] = value;
  const json warnings = warnings_json(r.warnings);
  json tables = json::object();
  for (const auto& t : r.tables) tables[t.name] = table_json(t);
  json figures = json::array();
  for (const auto& f : r.figures) figures.push_back(f.name);
  json out = {{"study", r.study},
              {"seed", r.seed},
              {"models", models},
              {"claims", claims},
              {"all_claims_pass", r.all_claims_pass()},
              {"reference_scales", scales},
              {"warnings", warnings},
              {"tables", tables},
              {"figures", figures},
              {"seconds", seconds},
              {"runtime", runtime_json(env)}};
  if (!r.seeds.empty()) out["seeds"] = r.seeds;
  return out;
}

}  // namespace robustlab
