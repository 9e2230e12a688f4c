// One interface for every attack, torchattacks-style: an attack takes a victim (a model's
// forward, the loss it increases, the input box), clean inputs x with labels y, and a spec
// (eps, alpha, steps, random_start, restarts; the norm comes with the attack) and returns x_adv
// with ‖x_adv − x‖ ≤ eps per example and x_adv inside the box.
#pragma once
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace robustlab {

enum class Norm { Linf, L2 };
enum class RandomStart { None, Sphere, Ball };  // δ_0 on the ε-sphere, or uniform in the ε-ball

using Forward = std::function<at::Tensor(const at::Tensor&)>;
using Loss = std::function<at::Tensor(const at::Tensor& outputs, const at::Tensor& labels)>;

struct Victim {
  Forward forward;                  // call in eval mode
  Loss loss;                        // per-example loss the attack increases
  std::optional<Box> box;           // clamp x_adv into it after every step, when present
  at::Tensor class_direction;       // [d] unit u with y⟨u, x⟩ > 0 on the data, where known
};

// A victim with the standard classification loss (models/classification.h).
Victim make_victim(Forward forward, std::optional<Box> box = std::nullopt);

struct AttackSpec {
  std::string name;  // a name from all_attacks()
  double eps = 0.0;
  double alpha = 0.0;  // absolute step size
  int steps = 1;
  RandomStart random_start = RandomStart::None;
  int restarts = 1;
};

using AttackFn = at::Tensor (*)(const Victim&, const at::Tensor& x, const at::Tensor& y,
                                const AttackSpec&, at::Generator&);

struct AttackInfo {
  std::string name;
  Norm norm;
  bool iterative;  // uses alpha, steps, random_start, restarts
  AttackFn run;
  std::string summary;
};

const std::vector<AttackInfo>& all_attacks();
const AttackInfo& find_attack(const std::string& name);  // UserError when unknown

// Checks the spec (eps ≥ 0, steps ≥ 1, ...), returns x itself for eps = 0, else runs the attack.
at::Tensor run_attack(const Victim& victim, const at::Tensor& x, const at::Tensor& y,
                      const AttackSpec& spec, at::Generator& generator);

const char* norm_name(Norm norm);                   // "linf", "l2"
RandomStart parse_random_start(const std::string& name);  // "none", "sphere", "ball"
const char* random_start_name(RandomStart start);

// ∇_x Σ_i loss_i(x): per-example input gradients, since the examples do not interact.
at::Tensor input_gradient(const Victim& victim, const at::Tensor& x, const at::Tensor& y);

}  // namespace robustlab
