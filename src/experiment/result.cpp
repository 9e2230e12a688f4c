#include "experiment/result.h"

#include <algorithm>
#include <stdexcept>

namespace robustlab {

bool StudyResult::all_claims_pass() const {
  return std::all_of(claims.begin(), claims.end(), [](const Claim& c) { return c.pass; });
}

const Table* StudyResult::find_table(const std::string& name) const {
  for (const auto& t : tables)
    if (t.name == name) return &t;
  return nullptr;
}

Table& StudyResult::table(const std::string& name) {
  for (auto& t : tables)
    if (t.name == name) return t;
  throw std::logic_error("result has no table " + name);
}

std::vector<Warning> StudyResult::warnings_of(const std::string& model) const {
  std::vector<Warning> out;
  for (const auto& w : warnings)
    if (w.model == model) out.push_back(w);
  return out;
}

}  // namespace robustlab
