// Evaluating one trained model the way every study does: clean accuracy, the robust-accuracy
// curve of each attack over its radii and the per-example worst case, the critical radius, and
// every check for optimistic numbers (gradient masking, fewer steps finding less).
#pragma once
#include <string>
#include <vector>

#include "attacks/attack.h"
#include "data/dataset.h"
#include "experiment/result.h"
#include "probes/robust_accuracy.h"

namespace robustlab {

struct Evaluation {
  ModelSummary summary;  // clean accuracy and the critical radius on `norm`; add metrics freely
  std::vector<RobustAccuracyPoint> curve;
  std::vector<Warning> warnings;
};

Evaluation evaluate(const std::string& model, const Victim& victim, const Dataset& test,
                    const std::vector<AttackGrid>& attacks, const std::string& norm, uint64_t seed);

// Adds the evaluation to the result: its summary to the models, its curve to the
// robust_accuracy table (created on first use), its warnings.
void record(StudyResult& result, const Evaluation& evaluation);

// The table every evaluation writes: model,attack,norm,eps,accuracy,alpha,steps,restarts,seed,
// and the rows of a curve in it.
Table robust_accuracy_table();
void add_curve(Table& table, const std::vector<RobustAccuracyPoint>& curve);

// Worst-case accuracy against ε, one line per model; a second norm on the top axis.
Figure robust_accuracy_figure(const std::string& study, const std::string& norms);

}  // namespace robustlab
