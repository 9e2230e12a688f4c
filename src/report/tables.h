// The CSV tables of a run (see SPEC.md, "Run output contract").
#pragma once
#include <string>
#include <vector>

#include "studies/study.h"

namespace robustlab {

// model,attack,norm,eps,accuracy,alpha,steps,restarts,seed: one row per model, attack and ε.
std::string robust_accuracy_csv(const std::vector<RobustAccuracyPoint>& rows);

// A header row of feature names, then one row per hidden unit: unit,<cos with each feature>.
std::string cosine_csv(const CosineMatrix& matrix);

}  // namespace robustlab
