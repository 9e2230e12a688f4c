#include "experiment/attack_keys.h"

#include <algorithm>

namespace robustlab {

std::vector<double> AttackKeys::grid() const {
  std::vector<double> g{0.0};
  for (double e : eps)
    if (e > 0) g.push_back(e);
  std::sort(g.begin(), g.end());
  g.erase(std::unique(g.begin(), g.end()), g.end());
  return g;
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
  for (auto& g : out)
    if (std::find(g.eps.begin(), g.eps.end(), radius) == g.eps.end()) {
      g.eps.push_back(radius);
      std::sort(g.eps.begin(), g.eps.end());
    }
  return out;
}

}  // namespace robustlab
