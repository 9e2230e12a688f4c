// One interface for every attack, torchattacks-style: an attack takes a victim (a model's
// forward, the loss it increases, the input box), clean inputs x with labels y, and a spec
// (eps, alpha, steps, random_start, restarts, targets, queries, keep; the norm comes with the
// attack) and returns x_adv with ‖x_adv − x‖ ≤ eps per example and x_adv inside the box. The same
// spec drives evaluation, `robustlab attack` and adversarial training.
#pragma once
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <torch/nn/modules/container/any.h>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/fields.h"
#include "data/dataset.h"

namespace robustlab {

enum class Norm { Linf, L2 };
// δ_0 on the ε-sphere, uniform in the ε-ball, or a tiny Gaussian jitter N(0, 0.001² I) (TRADES).
enum class RandomStart { None, Sphere, Ball, Jitter };
// Which point an attack returns per example: the strongest (the first misclassified iterate, else
// the highest-loss one: for evaluation), or its last iterate (the point adversarial training
// trains on; the highest final loss over restarts).
enum class Keep { Best, Last };

using Forward = std::function<at::Tensor(const at::Tensor&)>;
using Loss = std::function<at::Tensor(const at::Tensor& outputs, const at::Tensor& labels)>;

struct Victim {
  Forward forward;                  // call in eval mode
  Loss loss;                        // per-example loss the attack increases
  std::optional<Box> box;           // clamp x_adv into it after every step, when present
  at::Tensor class_direction;       // [d] unit u with y⟨u, x⟩ > 0 on the data, where known
};

// The forward of a module, as attacks and probes call it.
Forward forward_of(torch::nn::AnyModule model);

// A victim with the standard classification loss (models/classification.h).
Victim make_victim(Forward forward, std::optional<Box> box = std::nullopt);

// Every attack's parameters, named as the papers name them. Each attack reads the fields it
// needs (AttackInfo::params) and ignores the rest.
struct AttackSpec {
  std::string name;     // a name from all_attacks()
  double eps = 0.0;
  double alpha = 0.0;   // absolute step size; 0: alpha_per_eps · eps
  double alpha_per_eps = 0.25;
  int steps = 10;
  RandomStart random_start = RandomStart::Ball;
  int restarts = 1;
  int targets = 0;      // targeted attacks: how many target classes (0: min(9, classes − 1))
  int queries = 1000;   // score-based attacks: model evaluations per example
  Keep keep = Keep::Best;

  // The step the attack takes at this spec's eps (alpha, or alpha_per_eps · eps).
  double step() const { return alpha > 0 ? alpha : alpha_per_eps * eps; }
  // This spec at radius eps, as it is reported: alpha holds the step the attack actually takes
  // (AttackInfo::own_step_per_eps where it fixes its own), and fields it does not read are 0.
  AttackSpec at(double eps) const;

  // The config keys of an attack's parameters (name and eps are the caller's).
  void fields(Fields& f);
};

using AttackFn = at::Tensor (*)(const Victim&, const at::Tensor& x, const at::Tensor& y,
                                const AttackSpec&, at::Generator&);

// What an attack knows of the model, for the gradient-masking checks (probes/gradient_masking.h).
enum class AttackKind {
  OneStep,    // one gradient step (FGSM, FGM)
  Iterative,  // many gradient steps (PGD, APGD)
  BlackBox,   // scores only, no gradients (Square)
  Ensemble,   // the per-example worst of several (auto)
  Analytic,   // a direction known from the data, no model access (feature-average)
};

// The fields of AttackSpec an attack reads (besides eps), so that a bad value of one it reads is
// refused and the ones it ignores are not reported as if they mattered.
enum AttackParam : unsigned {
  kAlpha = 1, kSteps = 2, kRandomStart = 4, kRestarts = 8, kTargets = 16, kQueries = 32,
};

struct AttackInfo {
  std::string name;
  Norm norm;
  AttackKind kind;
  unsigned params;    // AttackParam bits
  int default_steps;  // the paper's iteration count, where the attack has steps
  // Attacks that fix their own step (not read from alpha): its size as a multiple of eps (FGSM and
  // FGM step eps; APGD starts at 2 eps). Reported as the run's alpha. 0: none, or alpha.
  double own_step_per_eps;
  AttackFn run;
  std::string summary;
  bool reads(AttackParam p) const { return (params & p) != 0; }
};

const std::vector<AttackInfo>& all_attacks();
const AttackInfo& find_attack(const std::string& name);  // UserError when unknown
std::vector<std::string> attack_names();

// Checks the spec (eps ≥ 0, steps ≥ 1, ...), returns x itself for eps = 0, else runs the attack.
// Attacks run on x as given; call them with the model in eval mode.
at::Tensor run_attack(const Victim& victim, const at::Tensor& x, const at::Tensor& y,
                      const AttackSpec& spec, at::Generator& generator);

const char* norm_name(Norm norm);                   // "linf", "l2"
const std::vector<std::pair<std::string, RandomStart>>& random_start_names();  // none, sphere, ball, jitter
RandomStart parse_random_start(const std::string& name);  // UserError when unknown

// ∇_x Σ_i loss_i(x): per-example input gradients, since the examples do not interact.
at::Tensor input_gradient(const Victim& victim, const at::Tensor& x, const at::Tensor& y);
// The same for any per-example loss of the outputs.
at::Tensor input_gradient(const Forward& forward, const Loss& loss, const at::Tensor& x, const at::Tensor& y);

}  // namespace robustlab
