#include "probes/robust_accuracy.h"

#include <limits>


#include "models/classification.h"
#include "runtime/progress.h"
#include "runtime/random.h"

namespace robustlab {
namespace {

// What the model answers on the attacked examples: correct [n] bool, predicted [n] int64.
std::pair<torch::Tensor, torch::Tensor> survives(const Victim& victim, const torch::Tensor& x, const torch::Tensor& y,
                                                 const AttackSpec& spec, at::Generator& gen, int64_t batch_size) {
  std::vector<torch::Tensor> correct, predicted;
  for (int64_t start = 0; start < x.size(0); start += batch_size) {
    const int64_t end = std::min(x.size(0), start + batch_size);
    const torch::Tensor xb = x.slice(0, start, end), yb = y.slice(0, start, end);
    const torch::Tensor x_adv = run_attack(victim, xb, yb, spec, gen);
    torch::NoGradGuard no_grad;
    const torch::Tensor outputs = victim.forward(x_adv);
    correct.push_back(is_correct(outputs, yb));
    predicted.push_back(outputs.dim() == 1 ? (outputs > 0).to(torch::kInt64) * 2 - 1 : outputs.argmax(1));
  }
  return {torch::cat(correct), torch::cat(predicted)};
}

}  // namespace

std::vector<RobustAccuracyPoint> robust_accuracy_curve(const std::string& model_name, const Victim& victim,
                                                       const torch::Tensor& inputs, const torch::Tensor& labels,
                                                       const std::vector<AttackGrid>& attacks, uint64_t seed,
                                                       int64_t batch_size, CurveDetails* details) {
  long work = 0;
  std::vector<std::string> norms;  // in the order they first appear
  for (const auto& a : attacks) {
    work += static_cast<long>(a.eps.size());
    const std::string norm = norm_name(find_attack(a.attack.name).norm);
    if (std::find(norms.begin(), norms.end(), norm) == norms.end()) norms.push_back(norm);
  }
  Progress progress("attack " + model_name, work);

  std::vector<RobustAccuracyPoint> rows;
  const double n = static_cast<double>(inputs.size(0));
  torch::Tensor clean_correct;
  {
    torch::NoGradGuard no_grad;
    clean_correct = is_correct(victim.forward(inputs), labels);
  }
  for (const std::string& norm : norms) {
    std::vector<const AttackGrid*> here;
    std::vector<double> grid;
    for (const auto& a : attacks)
      if (norm_name(find_attack(a.attack.name).norm) == norm) {
        here.push_back(&a);
        grid.insert(grid.end(), a.eps.begin(), a.eps.end());
      }
    std::sort(grid.begin(), grid.end());
    grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
    // Examples classified correctly clean and under every attack at every ε so far (the grid is
    // walked in increasing ε): robust <= clean, and never rising with ε.
    torch::Tensor worst = clean_correct;
    torch::Tensor first_broken = torch::full({inputs.size(0)}, std::numeric_limits<double>::infinity(), torch::kFloat64);
    first_broken.masked_fill_(clean_correct.cpu().logical_not(), 0.0);
    for (double eps : grid) {
      for (const AttackGrid* a : here) {
        if (std::find(a->eps.begin(), a->eps.end(), eps) == a->eps.end()) continue;
        const AttackSpec spec = a->attack.at(eps);
        // Each (attack, ε) has its own random stream: the numbers do not depend on the order run.
        const std::string stream = "attack/" + model_name + "/" + a->attack.name + "/" +
                                   std::to_string(a->attack.steps) + "/" + std::to_string(eps);
        at::Generator gen = make_generator(seed, stream.c_str());
        const auto [ok, predicted] = survives(victim, inputs, labels, spec, gen, batch_size);
        if (details && details->record_outcomes)
          details->outcomes.push_back({spec.name, norm, eps, ok.cpu(), predicted.cpu()});
        worst = worst & ok;
        rows.push_back({model_name, spec.name, norm, eps, spec.alpha, spec.steps, spec.restarts,
                        seed, ok.sum().item<double>() / n});
        progress.advance();
      }
      rows.push_back({model_name, kWorst, norm, eps, 0, 0, 0, seed, worst.sum().item<double>() / n});
      first_broken.masked_fill_(worst.cpu().logical_not() & first_broken.isinf(), eps);
    }
    if (details) details->breaking_radius[norm] = first_broken;
  }
  return rows;
}

std::optional<double> critical_radius(const std::vector<RobustAccuracyPoint>& curve,
                                      const std::string& model, const std::string& norm) {
  std::optional<double> radius;
  for (const auto& p : curve)
    if (p.model == model && p.attack == kWorst && p.norm == norm && p.accuracy < 0.5 &&
        (!radius || p.eps < *radius))
      radius = p.eps;
  return radius;
}

double accuracy_at(const std::vector<RobustAccuracyPoint>& curve, const std::string& model,
                   const std::string& attack, const std::string& norm, double eps) {
  for (const auto& p : curve)
    if (p.model == model && p.attack == attack && p.norm == norm && std::abs(p.eps - eps) <= 1e-12 * std::max(1.0, eps))
      return p.accuracy;
  throw std::logic_error("no " + attack + " (" + norm + ") accuracy for " + model + " at eps " + std::to_string(eps));
}

std::vector<Warning> stronger_attack_warnings(const std::vector<RobustAccuracyPoint>& curve, double tolerance) {
  std::vector<Warning> warnings;
  for (const auto& weak : curve)
    for (const auto& strong : curve) {
      if (weak.attack == kWorst || weak.attack != strong.attack || weak.model != strong.model ||
          weak.eps != strong.eps || strong.steps <= weak.steps)
        continue;
      if (strong.accuracy < weak.accuracy - tolerance) {
        std::ostringstream line;
        line << weak.model << ": at eps " << weak.eps << ", " << weak.attack << " with " << strong.steps
             << " steps finds accuracy " << strong.accuracy << " against " << weak.accuracy
             << " with " << weak.steps << " steps (the fewer-step curve overstates robustness)";
        warnings.push_back({weak.model, warning_kind::kFewerSteps, line.str()});
      }
    }
  return warnings;
}

}  // namespace robustlab
