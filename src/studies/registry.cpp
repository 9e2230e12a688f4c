#include "studies/registry.h"

#include "runtime/find_by_name.h"

namespace robustlab {

// Each defined in its own file of this folder.
Study feature_averaging_study();
Study feature_averaging_real_study();
Study adversarial_training_study();
Study robust_nonrobust_features_study();
Study clean_generalization_robust_overfitting_study();
Study ntk_robustness_study();
Study feature_purification_study();

const std::vector<Study>& all_studies() {
  static const std::vector<Study> studies = {
      feature_averaging_study(),
      feature_averaging_real_study(),
      adversarial_training_study(),
      robust_nonrobust_features_study(),
      clean_generalization_robust_overfitting_study(),
      ntk_robustness_study(),
      feature_purification_study(),
  };
  return studies;
}

const Study& find_study(const std::string& name) { return find_by_name(all_studies(), name, "study"); }

}  // namespace robustlab
