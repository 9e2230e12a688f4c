#include "experiment/evaluate.h"

#include "probes/accuracy.h"
#include "probes/gradient_masking.h"

namespace robustlab {

Evaluation evaluate(const std::string& model, const Victim& victim, const Dataset& test,
                    const std::vector<AttackGrid>& attacks, const std::string& norm, uint64_t seed) {
  Evaluation e;
  e.curve = robust_accuracy_curve(model, victim, test.inputs, test.labels, attacks, seed);
  e.summary = {model, accuracy(victim.forward, test.inputs, test.labels), critical_radius(e.curve, model, norm), {}};
  e.warnings = gradient_masking_warnings(model, victim, test.inputs, test.labels, e.curve, seed);
  constexpr double kFewerStepsTolerance = 0.05;
  for (auto& w : stronger_attack_warnings(e.curve, kFewerStepsTolerance)) e.warnings.push_back(std::move(w));
  return e;
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
