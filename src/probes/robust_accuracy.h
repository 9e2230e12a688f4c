// Robust accuracy of a model against a list of attacks over a grid of ε, and the per-example
// worst case over those attacks (per norm: an ℓ2 and an ℓ∞ ball are different threat models).
// The ε-balls are nested, so an example broken at some ε is broken at every larger one: the
// worst case at ε also counts the attacks at every smaller ε of the grid, and never rises with ε.
#pragma once
#include <ATen/core/Tensor.h>
#include <optional>
#include <string>
#include <vector>

#include "attacks/attack.h"

namespace robustlab {

// An attack to run at every ε of the grid; its step size scales with ε.
struct AttackPlan {
  std::string name;
  double alpha_per_eps = 0.25;  // alpha = alpha_per_eps · eps
  int steps = 7;
  RandomStart random_start = RandomStart::Sphere;
  int restarts = 1;
  std::vector<double> only_eps;  // run only at these ε of the grid (empty: all)
  std::optional<double> alpha;   // an absolute step at every ε instead of alpha_per_eps · ε
  int targets = 0;               // apgd-t, auto (0: min(9, classes − 1))
  int queries = 1000;            // square, auto
};

// The spec an attack plan runs with at ε. Fields the attack does not read are zeroed, and alpha
// holds the step the attack actually takes (AttackInfo::own_step_per_eps where it fixes its own).
AttackSpec attack_spec(const AttackPlan& plan, double eps);

struct RobustAccuracyPoint {
  std::string model, attack, norm;  // attack "worst": per-example worst case over the attacks
  double eps = 0, alpha = 0;
  int steps = 0, restarts = 0;  // steps: iterations, or queries for a score-based attack
  uint64_t seed = 0;
  double accuracy = 0;
};

std::vector<RobustAccuracyPoint> robust_accuracy_curve(
    const std::string& model_name, const Victim& victim, const at::Tensor& inputs,
    const at::Tensor& labels, const std::vector<AttackPlan>& attacks,
    const std::vector<double>& eps_grid, uint64_t seed, int64_t batch_size = 2000);

// The smallest ε at which the worst-case accuracy of this model and norm falls below 0.5, or
// none if it never does on the grid.
std::optional<double> critical_radius(const std::vector<RobustAccuracyPoint>& curve,
                                      const std::string& model, const std::string& norm);

// Where the same attack with more steps finds lower accuracy than with fewer at the same ε by more
// than tolerance, the fewer-step numbers overstate robustness: one warning line per model and ε.
std::vector<std::string> stronger_attack_warnings(const std::vector<RobustAccuracyPoint>& curve,
                                                  const std::string& attack, double tolerance);

}  // namespace robustlab
