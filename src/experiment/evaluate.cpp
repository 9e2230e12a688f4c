#include "experiment/evaluate.h"

#include "probes/accuracy.h"
#include "probes/gradient_masking.h"
#include "runtime/random.h"
#include "runtime/user_error.h"

namespace robustlab {

namespace {

// The accuracy of always answering the most common label.
double chance_accuracy(const at::Tensor& labels) {
  if (labels.numel() == 0) return 0;
  const at::Tensor l = labels.cpu();
  const at::Tensor counts = (l - l.min()).bincount();
  return counts.max().item<double>() / static_cast<double>(l.numel());
}

}  // namespace

bool Evaluation::collapsed() const {
  return summary.clean_accuracy <= chance + 3 * proportion(chance, examples).se;
}

at::Tensor Evaluation::robust_at(const std::string& norm, double eps) const {
  return (breaking_radius.at(norm) > eps).to(torch::kFloat64);
}

Estimate Evaluation::worst_case(const std::string& norm, double eps) const {
  return proportion(accuracy_at(curve, summary.name, kWorst, norm, eps), examples);
}

Evaluation evaluate(const std::string& model, const Victim& victim, const Dataset& test,
                    const std::vector<AttackGrid>& attacks, const std::string& norm, uint64_t seed,
                    bool record_outcomes) {
  if (test.size() == 0) throw UserError("no test examples to evaluate " + model + " on");
  Evaluation e;
  e.examples = test.size();
  e.chance = chance_accuracy(test.labels);
  CurveDetails details;
  details.record_outcomes = record_outcomes;
  e.curve = robust_accuracy_curve(model, victim, test.inputs, test.labels, attacks, seed, 2000, &details);
  e.breaking_radius = std::move(details.breaking_radius);
  e.outcomes = std::move(details.outcomes);
  e.summary = {model, accuracy(victim.forward, test.inputs, test.labels), critical_radius(e.curve, model, norm), {}};
  if (e.collapsed()) {
    e.warnings.push_back({model, warning_kind::kCollapsed,
                          model + " net collapsed: clean accuracy " + claim_text("%.3f", e.summary.clean_accuracy) +
                              " is at chance (" + claim_text("%.3f", e.chance) +
                              ", the most common label); it learned nothing, and its robustness numbers mean nothing"});
    return e;
  }
  e.warnings = gradient_masking_warnings(model, victim, test.inputs, test.labels, e.curve, seed);
  constexpr double kFewerStepsTolerance = 0.05;
  for (auto& w : stronger_attack_warnings(e.curve, kFewerStepsTolerance)) e.warnings.push_back(std::move(w));
  return e;
}

double robust_accuracy(const Victim& victim, const Dataset& set, const AttackSpec& attack, uint64_t seed,
                       const std::string& stream) {
  at::Generator generator = make_generator(seed, stream.c_str());
  return accuracy(victim.forward, run_attack(victim, set.inputs, set.labels, attack, generator), set.labels);
}

Claim learned_claim(const std::vector<const Evaluation*>& evaluations) {
  Claim claim{"every net learned the task", "clean accuracy above chance (the most common label) by 3 SE", "", true};
  for (const Evaluation* e : evaluations) {
    claim.measured += (claim.measured.empty() ? "" : ", ") + e->summary.name +
                      claim_text(" %.3f (chance %.3f)", e->summary.clean_accuracy, e->chance);
    if (e->collapsed()) claim.pass = false;
  }
  for (const Evaluation* e : evaluations)
    if (e->collapsed()) claim.measured += "; " + e->summary.name + " net collapsed: clean accuracy at chance";
  return claim;
}

Table robust_accuracy_table() {
  return Table("robust_accuracy",
               {text_key("model"), text_key("attack"), text_key("norm"), number_key("eps"), value("accuracy"),
                number_key("alpha"), integer_key("steps"), integer_key("restarts"), seed_column()});
}

void add_curve(Table& table, const std::vector<RobustAccuracyPoint>& curve) {
  for (const auto& p : curve)
    table.add({p.model, p.attack, p.norm, p.eps, p.accuracy, p.alpha, int64_t{p.steps}, int64_t{p.restarts},
               static_cast<int64_t>(p.seed)});
}

void record(StudyResult& result, const Evaluation& e) {
  result.models.push_back(e.summary);
  if (!result.find_table("robust_accuracy")) result.tables.push_back(robust_accuracy_table());
  add_curve(result.table("robust_accuracy"), e.curve);
  result.warnings.insert(result.warnings.end(), e.warnings.begin(), e.warnings.end());
}

Figure robust_accuracy_figure(const std::string& study, const std::string& norms) {
  Figure f = Figure::lines("robust_accuracy", "robust_accuracy", "eps", "accuracy", {"model"},
                           study + ": worst-case robust accuracy (" + norms + ")");
  f.where = {{"attack", kWorst}};
  f.top_axis_by = "norm";
  f.ylabel = "robust accuracy";
  f.legend = "bottom left";
  f.ymin = 0;
  f.ymax = 1.05;
  return f;
}

}  // namespace robustlab
