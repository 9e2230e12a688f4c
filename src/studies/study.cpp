#include "studies/study.h"

#include "runtime/find_by_name.h"
#include "studies/adversarial_training.h"
#include "studies/feature_averaging.h"
#include "studies/feature_averaging_real.h"

namespace robustlab {

std::string claim_text(const char* format, double a, double b, double c) {
  char buf[512];
  std::snprintf(buf, sizeof buf, format, a, b, c);
  return buf;
}

std::vector<std::string> numbered(const std::string& prefix, int64_t count, int64_t first) {
  std::vector<std::string> names;
  for (int64_t i = 0; i < count; ++i) names.push_back(prefix + std::to_string(first + i));
  return names;
}

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
      {"feature-averaging-real",
       "the same on real images: a binary net on merged classes breaks at a smaller eps than a "
       "10-class net read out as binary (Fashion-MNIST by default; MNIST, CIFAR-10)",
       Workload::Elementwise,  // convolutions (oneDNN) and small GEMMs
       feature_averaging_real_schema, run_feature_averaging_real},
      {"adversarial-training",
       "PGD adversarial training (Madry 2018) against standard training of the same CNN, evaluated "
       "with FGSM, PGD and AutoAttack, with gradient-masking checks (Fashion-MNIST)",
       Workload::Elementwise, adversarial_training_schema, run_adversarial_training},
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
