#include "probes/gradient_masking.h"

#include <cmath>
#include <set>
#include <sstream>

#include "models/classification.h"
#include "probes/accuracy.h"
#include "runtime/random.h"

namespace robustlab {
namespace {

AttackKind kind_of(const std::string& attack) {
  return attack == kWorst ? AttackKind::Ensemble : find_attack(attack).kind;
}

bool is_white_box(const std::string& attack) {
  const AttackKind kind = kind_of(attack);
  return kind == AttackKind::OneStep || kind == AttackKind::Iterative;
}

std::string describe(const RobustAccuracyPoint& p) {
  std::ostringstream s;
  s << p.attack << " " << p.accuracy;
  return s.str();
}

}  // namespace

std::vector<Warning> curve_masking_warnings(const std::vector<RobustAccuracyPoint>& curve, double tolerance) {
  std::vector<Warning> warnings;
  auto same_point = [](const RobustAccuracyPoint& a, const RobustAccuracyPoint& b) {
    return a.model == b.model && a.norm == b.norm && a.eps == b.eps;
  };
  for (const auto& weak : curve) {
    if (weak.eps == 0) continue;
    const AttackKind kind = kind_of(weak.attack);
    if (kind == AttackKind::OneStep) {
      for (const auto& strong : curve)
        if (same_point(weak, strong) && kind_of(strong.attack) == AttackKind::Iterative &&
            weak.accuracy < strong.accuracy - tolerance) {
          std::ostringstream line;
          line << weak.model << " (" << weak.norm << ", eps " << weak.eps << "): one-step " << describe(weak)
               << " is stronger than iterative " << describe(strong)
               << "; the iterative attack is misconfigured or the gradients are masked";
          warnings.push_back({weak.model, warning_kind::kOneStepStronger, line.str()});
        }
    }
    if (kind == AttackKind::BlackBox) {
      const RobustAccuracyPoint* best_white = nullptr;
      for (const auto& other : curve)
        if (same_point(weak, other) && is_white_box(other.attack) &&
            (!best_white || other.accuracy < best_white->accuracy))
          best_white = &other;
      if (best_white && weak.accuracy < best_white->accuracy - tolerance) {
        std::ostringstream line;
        line << weak.model << " (" << weak.norm << ", eps " << weak.eps << "): black-box " << describe(weak)
             << " is stronger than every white-box attack (best: " << describe(*best_white)
             << "); the gradients are masked";
        warnings.push_back({weak.model, warning_kind::kBlackBoxStronger, line.str()});
      }
    }
  }
  return warnings;
}

std::vector<Warning> model_masking_warnings(const std::string& model, const Victim& victim,
                                                const torch::Tensor& all_inputs, const torch::Tensor& all_labels,
                                                const std::vector<RobustAccuracyPoint>& curve, uint64_t seed,
                                                int64_t examples) {
  std::vector<Warning> warnings;
  const int64_t n = std::min(examples, all_inputs.size(0));
  if (n == 0) return warnings;
  const torch::Tensor x = all_inputs.narrow(0, 0, n), y = all_labels.narrow(0, 0, n);

  // Zero gradients at correctly classified points.
  torch::Tensor correct;
  {
    torch::NoGradGuard no_grad;
    correct = is_correct(victim.forward(x), y);
  }
  const torch::Tensor grad_norm = input_gradient(victim, x, y).flatten(1).abs().amax(1);
  const double zero = ((grad_norm == 0) & correct).sum().item<double>();
  const double correct_count = correct.sum().item<double>();
  if (correct_count > 0 && zero > 0.01 * correct_count) {
    std::ostringstream line;
    line << model << ": the loss's input gradient is exactly 0 at " << zero << " of " << correct_count
         << " correctly classified points; gradient attacks cannot move them (gradient masking)";
    warnings.push_back({model, warning_kind::kZeroGradient, line.str()});
  }

  // PGD at an ε that covers the whole input space must break (almost) everything.
  std::set<std::string> norms;
  for (const auto& p : curve)
    if (p.model == model && p.attack != kWorst) norms.insert(p.norm);
  for (const std::string& norm : norms) {
    double largest = 0;
    for (const auto& p : curve)
      if (p.model == model && p.norm == norm) largest = std::max(largest, p.eps);
    const double dim = static_cast<double>(x[0].numel());
    const bool linf = norm == "linf";
    // Steps small enough not to jump over the boundary into a flat region (ReLU units all off):
    // a twentieth of the box's reach, or a quarter of the grid's largest ε when there is no box.
    const double eps = victim.box ? (victim.box->hi - victim.box->lo) * (linf ? 1.0 : std::sqrt(dim))
                                  : 4 * std::max(largest, 1e-3);
    const double alpha = victim.box ? eps / 20 : std::max(largest, 1e-3) / 4;
    AttackSpec pgd;
    pgd.name = linf ? "pgd-linf" : "pgd-l2";
    pgd.steps = 50;
    pgd.random_start = RandomStart::None;
    pgd.alpha = alpha;
    at::Generator gen = make_generator(seed, ("masking/" + model + "/" + norm).c_str());
    // On the margin rather than the victim's loss: a saturated cross-entropy (a very confident
    // model) has vanishing gradients at the data, which this check is not about.
    Victim on_margin = victim;
    on_margin.loss = [](const torch::Tensor& outputs, const torch::Tensor& labels) {
      return -classification_margin(outputs, labels);
    };
    const torch::Tensor x_adv = run_attack(on_margin, x, y, pgd.at(eps), gen);
    const double acc = accuracy(victim.forward, x_adv, y);
    if (acc > 0.05) {
      std::ostringstream line;
      line << model << " (" << norm << "): " << pgd.name << " at eps " << eps
           << ", large enough to reach any input, leaves accuracy " << acc
           << " (expected about 0); the attack cannot follow the gradients";
      warnings.push_back({model, warning_kind::kUnboundedEps, line.str()});
    }
  }
  return warnings;
}

std::vector<Warning> gradient_masking_warnings(const std::string& model, const Victim& victim,
                                                   const torch::Tensor& inputs, const torch::Tensor& labels,
                                                   const std::vector<RobustAccuracyPoint>& curve, uint64_t seed) {
  std::vector<RobustAccuracyPoint> own;
  for (const auto& p : curve)
    if (p.model == model) own.push_back(p);
  std::vector<Warning> warnings = curve_masking_warnings(own);
  for (auto& w : model_masking_warnings(model, victim, inputs, labels, own, seed)) warnings.push_back(std::move(w));
  return warnings;
}

}  // namespace robustlab
