#include "studies/study.h"

#include "runtime/find_by_name.h"
#include "studies/feature_averaging.h"

namespace robustlab {

bool StudyResult::all_claims_pass() const {
  return std::all_of(claims.begin(), claims.end(), [](const Claim& c) { return c.pass; });
}

const std::vector<Study>& all_studies() {
  static const std::vector<Study> studies = {
      {"feature-averaging",
       "GD averages cluster centres in a binary net (non-robust at eps~sqrt(d/k)); a decoupled "
       "net separates them (Li, Pan, Lyu, Li 2024)",
       Workload::Elementwise,  // 10 hidden units: skinny products, element-wise ops dominate
       feature_averaging_schema, run_feature_averaging},
  };
  return studies;
}

const Study& find_study(const std::string& name) {
  return find_by_name(all_studies(), name, "study");
}

Schema base_schema() {
  Schema s;
  s.integer("seed", 0, "seed of every random draw in the run", 0);
  return s;
}

}  // namespace robustlab
