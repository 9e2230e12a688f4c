#include "experiment/attack_keys.h"

#include <algorithm>
#include <cmath>

namespace robustlab {

std::vector<double> increasing_radii(std::vector<double> radii) {
  std::sort(radii.begin(), radii.end());
  // Radii equal up to rounding (0.35 given, 0.35000000000000003 from a range) are one radius, the
  // smaller kept: a point broken there counts as broken at both (accuracy_at matches within 1e-12).
  radii.erase(std::unique(radii.begin(), radii.end(),
                          [](double a, double b) { return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b)); }),
              radii.end());
  return radii;
}

std::vector<double> AttackKeys::grid() const {
  std::vector<double> g{0.0};
  for (double e : eps)
    if (e > 0) g.push_back(e);
  return increasing_radii(g);
}

std::vector<AttackGrid> AttackKeys::grids() const {
  std::vector<AttackGrid> out;
  for (const auto& name : names) {
    AttackSpec attack = spec;
    attack.name = name;
    out.push_back({attack, grid()});
  }
  return out;
}

std::vector<AttackGrid> AttackKeys::grids_with(double radius) const {
  std::vector<AttackGrid> out = grids();
  for (auto& g : out) {
    g.eps.push_back(radius);
    g.eps = increasing_radii(g.eps);
  }
  return out;
}

}  // namespace robustlab
