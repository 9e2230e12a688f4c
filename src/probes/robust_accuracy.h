// Robust accuracy of a model against a list of attacks over a grid of ε, and the per-example
// worst case over those attacks (per norm: an ℓ2 and an ℓ∞ ball are different threat models).
// The ε-balls are nested, so an example broken at some ε is broken at every larger one: the
// worst case at ε also counts the attacks at every smaller ε of the grid, and never rises with ε.
#pragma once
#include <ATen/core/Tensor.h>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "attacks/attack.h"
#include "probes/warning.h"

namespace robustlab {

// An attack and the radii it runs at (ε = 0 gives clean accuracy).
struct AttackGrid {
  AttackSpec attack;
  std::vector<double> eps;
};

// The attack name of the per-example worst case over the attacks run (per norm).
constexpr const char* kWorst = "worst";

struct RobustAccuracyPoint {
  std::string model, attack, norm;  // attack "worst": per-example worst case over the attacks
  double eps = 0, alpha = 0;
  int steps = 0, restarts = 0;  // steps: iterations, or queries for a score-based attack
  uint64_t seed = 0;
  double accuracy = 0;
};

// Every attack at every one of its radii on (inputs, labels). Rows come grouped by norm (in the
// order the norms first appear in `attacks`), then by increasing ε: the attacks run there, then
// the kWorst row of that norm, which counts every attack at every ε up to this one.
// One attack at one radius, example by example (on CPU): whether the model is still right, and
// what it answers (the class, or the sign of a binary score).
struct ExampleOutcomes {
  std::string attack, norm;
  double eps = 0;
  at::Tensor correct;    // [n] bool
  at::Tensor predicted;  // [n] int64
};

// What a curve can also record, per example: the per-example outcomes that paired comparisons of
// two models, or of two implementations of an attack, on the same points need.
struct CurveDetails {
  // Per norm, each example's smallest ε of the grid at which some attack breaks it ([n] float64:
  // 0 when misclassified clean, +inf when never broken).
  std::map<std::string, at::Tensor> breaking_radius;
  bool record_outcomes = false;  // also fill `outcomes`, one entry per attack and ε
  std::vector<ExampleOutcomes> outcomes;
};

std::vector<RobustAccuracyPoint> robust_accuracy_curve(const std::string& model_name, const Victim& victim,
                                                       const at::Tensor& inputs, const at::Tensor& labels,
                                                       const std::vector<AttackGrid>& attacks, uint64_t seed,
                                                       int64_t batch_size = 2000, CurveDetails* details = nullptr);

// The smallest ε at which the worst-case accuracy of this model and norm falls below 0.5, or
// none if it never does on the grid.
std::optional<double> critical_radius(const std::vector<RobustAccuracyPoint>& curve,
                                      const std::string& model, const std::string& norm);

// The accuracy of one row; std::logic_error when the curve has no such row (a study asking for a
// point it did not run is a bug).
double accuracy_at(const std::vector<RobustAccuracyPoint>& curve, const std::string& model,
                   const std::string& attack, const std::string& norm, double eps);

// Where the same attack with more steps finds lower accuracy than with fewer at the same ε by more
// than tolerance, the fewer-step numbers overstate robustness: one warning per model and ε.
std::vector<Warning> stronger_attack_warnings(const std::vector<RobustAccuracyPoint>& curve, double tolerance);

}  // namespace robustlab
