#include "probes/robust_accuracy.h"

#include <set>

#include "models/classification.h"
#include "runtime/progress.h"
#include "runtime/random.h"

namespace robustlab {
namespace {

bool runs_at(const AttackPlan& plan, double eps) {
  if (plan.only_eps.empty()) return true;
  for (double e : plan.only_eps)
    if (std::abs(e - eps) <= 1e-9 * std::max(1.0, std::abs(eps))) return true;
  return false;
}

// Which examples the model still classifies correctly after the attack: [n] bool.
torch::Tensor survives(const Victim& victim, const torch::Tensor& x, const torch::Tensor& y,
                       const AttackSpec& spec, at::Generator& gen, int64_t batch_size) {
  std::vector<torch::Tensor> parts;
  for (int64_t start = 0; start < x.size(0); start += batch_size) {
    const int64_t end = std::min(x.size(0), start + batch_size);
    const torch::Tensor xb = x.slice(0, start, end), yb = y.slice(0, start, end);
    const torch::Tensor x_adv = run_attack(victim, xb, yb, spec, gen);
    torch::NoGradGuard no_grad;
    parts.push_back(is_correct(victim.forward(x_adv), yb));
  }
  return torch::cat(parts);
}

}  // namespace

AttackSpec attack_spec(const AttackPlan& plan, double eps) {
  const AttackInfo& info = find_attack(plan.name);
  AttackSpec spec;
  spec.name = plan.name;
  spec.eps = eps;
  spec.alpha = !info.reads(kAlpha) ? info.own_step_per_eps * eps : plan.alpha ? *plan.alpha : plan.alpha_per_eps * eps;
  spec.steps = info.reads(kSteps) ? plan.steps : info.kind == AttackKind::OneStep ? 1 : 0;
  spec.random_start = info.reads(kRandomStart) ? plan.random_start : RandomStart::None;
  spec.restarts = info.reads(kRestarts) ? plan.restarts : 1;
  spec.targets = info.reads(kTargets) ? plan.targets : 0;
  spec.queries = info.reads(kQueries) ? plan.queries : 0;
  if (info.kind == AttackKind::BlackBox) spec.steps = plan.queries;
  return spec;
}

std::vector<RobustAccuracyPoint> robust_accuracy_curve(
    const std::string& model_name, const Victim& victim, const torch::Tensor& inputs,
    const torch::Tensor& labels, const std::vector<AttackPlan>& attacks,
    const std::vector<double>& eps_grid, uint64_t seed, int64_t batch_size) {
  long work = 0;
  for (double eps : eps_grid)
    for (const auto& plan : attacks) work += runs_at(plan, eps);
  Progress progress("attack " + model_name, work);

  std::vector<RobustAccuracyPoint> rows;
  const double n = static_cast<double>(inputs.size(0));
  torch::Tensor clean_correct;
  {
    torch::NoGradGuard no_grad;
    clean_correct = is_correct(victim.forward(inputs), labels);
  }
  // norm -> examples classified correctly clean and under every attack at every ε so far (the
  // grid is walked in increasing ε): robust <= clean, and never rising with ε.
  std::vector<double> grid = eps_grid;
  std::sort(grid.begin(), grid.end());
  std::map<std::string, torch::Tensor> worst;
  for (double eps : grid) {
    std::set<std::string> norms_here;
    for (const auto& plan : attacks) {
      if (!runs_at(plan, eps)) continue;
      const AttackInfo& info = find_attack(plan.name);
      const AttackSpec spec = attack_spec(plan, eps);
      // Each (attack, ε) has its own random stream: the numbers do not depend on the order run.
      const std::string stream = "attack/" + model_name + "/" + plan.name + "/" +
                                 std::to_string(plan.steps) + "/" + std::to_string(eps);
      at::Generator gen = make_generator(seed, stream.c_str());
      const torch::Tensor ok = survives(victim, inputs, labels, spec, gen, batch_size);
      const std::string norm = norm_name(info.norm);
      worst[norm] = (worst.count(norm) ? worst[norm] : clean_correct) & ok;
      norms_here.insert(norm);
      rows.push_back({model_name, plan.name, norm, eps, spec.alpha, spec.steps, spec.restarts,
                      seed, ok.sum().item<double>() / n});
      progress.advance();
    }
    for (const auto& norm : norms_here)
      rows.push_back({model_name, "worst", norm, eps, 0, 0, 0, seed, worst[norm].sum().item<double>() / n});
  }
  return rows;
}

std::optional<double> critical_radius(const std::vector<RobustAccuracyPoint>& curve,
                                      const std::string& model, const std::string& norm) {
  std::optional<double> radius;
  for (const auto& p : curve)
    if (p.model == model && p.attack == "worst" && p.norm == norm && p.accuracy < 0.5 &&
        (!radius || p.eps < *radius))
      radius = p.eps;
  return radius;
}

std::vector<std::string> stronger_attack_warnings(const std::vector<RobustAccuracyPoint>& curve,
                                                  const std::string& attack, double tolerance) {
  std::vector<std::string> warnings;
  for (const auto& weak : curve)
    for (const auto& strong : curve) {
      if (weak.attack != attack || strong.attack != attack || weak.model != strong.model ||
          weak.eps != strong.eps || strong.steps <= weak.steps)
        continue;
      if (strong.accuracy < weak.accuracy - tolerance) {
        std::ostringstream line;
        line << weak.model << ": at eps " << weak.eps << ", " << attack << " with " << strong.steps
             << " steps finds accuracy " << strong.accuracy << " against " << weak.accuracy
             << " with " << weak.steps << " steps (the fewer-step curve overstates robustness)";
        warnings.push_back(line.str());
      }
    }
  return warnings;
}

}  // namespace robustlab
