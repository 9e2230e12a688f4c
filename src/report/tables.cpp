#include "report/tables.h"

#include <iomanip>

namespace robustlab {

std::string robust_accuracy_csv(const std::vector<RobustAccuracyPoint>& rows) {
  std::ostringstream out;
  out << std::setprecision(10) << "model,attack,norm,eps,accuracy,alpha,steps,restarts,seed\n";
  for (const auto& r : rows)
    out << r.model << ',' << r.attack << ',' << r.norm << ',' << r.eps << ',' << r.accuracy << ','
        << r.alpha << ',' << r.steps << ',' << r.restarts << ',' << r.seed << '\n';
  return out.str();
}

std::string cosine_csv(const CosineMatrix& m) {
  std::ostringstream out;
  out << std::setprecision(6) << "unit";
  for (const auto& f : m.feature_names) out << ',' << f;
  out << '\n';
  const auto values = m.values.accessor<double, 2>();
  for (int64_t r = 0; r < m.values.size(0); ++r) {
    out << m.unit_names[r];
    for (int64_t j = 0; j < m.values.size(1); ++j) out << ',' << values[r][j];
    out << '\n';
  }
  return out.str();
}

}  // namespace robustlab
