// An attack over radii, spelled briefly for tests.
#pragma once
#include <string>
#include <vector>

#include "probes/robust_accuracy.h"

inline robustlab::AttackGrid attack_over(const std::string& name, double alpha_per_eps, int steps,
                                         robustlab::RandomStart start, std::vector<double> eps, int restarts = 1) {
  robustlab::AttackSpec spec;
  spec.name = name;
  spec.alpha_per_eps = alpha_per_eps;
  spec.steps = steps;
  spec.random_start = start;
  spec.restarts = restarts;
  return {spec, std::move(eps)};
}
