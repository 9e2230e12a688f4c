// Evaluating one trained model the way every study does: clean accuracy, the robust-accuracy
// curve of each attack over its radii and the per-example worst case, the critical radius, and
// every check for optimistic numbers (gradient masking, fewer steps finding less). A net that
// collapsed to chance gets one "collapsed" warning instead of masking checks, which would only
// restate its dead gradients.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "attacks/attack.h"
#include "data/dataset.h"
#include "experiment/claims.h"
#include "experiment/result.h"
#include "probes/robust_accuracy.h"

namespace robustlab {

struct Evaluation {
  ModelSummary summary;  // clean accuracy and the critical radius on `norm`; add metrics freely
  std::vector<RobustAccuracyPoint> curve;
  std::map<std::string, at::Tensor> breaking_radius;  // per norm: each example's (probes/robust_accuracy.h)
  std::vector<ExampleOutcomes> outcomes;              // per attack and eps, when asked for
  std::vector<Warning> warnings;
  double chance = 0;      // the accuracy of always answering the test set's most common label
  int64_t examples = 0;   // test points

  // Clean accuracy within 3 standard errors of chance: the net learned nothing (a diverged or
  // dead network), and its robustness numbers mean nothing.
  bool collapsed() const;
  // Per example, 1 where it survives every attack at every radius up to eps: [n] float64.
  at::Tensor robust_at(const std::string& norm, double eps) const;
  // The worst-case accuracy at eps with its standard error.
  Estimate worst_case(const std::string& norm, double eps) const;
};

// With record_outcomes, also every attack's per-example outcomes (Evaluation::outcomes).
Evaluation evaluate(const std::string& model, const Victim& victim, const Dataset& test,
                    const std::vector<AttackGrid>& attacks, const std::string& norm, uint64_t seed,
                    bool record_outcomes = false);

// Accuracy on `set` of the inputs `attack` (already at its eps) makes, its random starts drawn
// from the run's stream `stream`: a curve over training reads one point per record.
double robust_accuracy(const Victim& victim, const Dataset& set, const AttackSpec& attack, uint64_t seed,
                       const std::string& stream);

// "every net learned the task": fails, naming them, when a net collapsed to chance.
Claim learned_claim(const std::vector<const Evaluation*>& evaluations);

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
