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

}  // namespace robustlab
