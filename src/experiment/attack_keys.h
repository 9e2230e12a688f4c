// The key group of an evaluation (attack.* in a study's config): which attacks run, at which
// radii, with which parameters. `eps` is a list or a start:stop:step range; ε = 0, the clean
// accuracy every curve starts from, is always added.
#pragma once
#include <string>
#include <vector>

#include "attacks/attack.h"
#include "config/fields.h"
#include "probes/robust_accuracy.h"

namespace robustlab {

// The radii sorted, each once (radii equal up to rounding count as one).
std::vector<double> increasing_radii(std::vector<double> radii);

struct AttackKeys {
  std::vector<std::string> names;
  std::vector<double> eps;
  AttackSpec spec;  // each attack reads the parameters it uses

  void fields(Fields& f) {
    f.field("names", names, "attacks run at every eps", attack_names());
    f.field("eps", eps, "radii: a list, or start:stop:step (0, clean accuracy, is always added)", {0});
    spec.fields(f);
  }

  std::vector<double> grid() const;       // 0 and eps, increasing, without repeats
  std::vector<AttackGrid> grids() const;  // every named attack over grid()
  // grids() with `radius` added to each grid (where a study's claims read), kept increasing.
  std::vector<AttackGrid> grids_with(double radius) const;
};

}  // namespace robustlab
