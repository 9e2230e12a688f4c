// Attacks spelled briefly for tests: a spec at one radius, and an attack over radii.
#pragma once
#include <string>
#include <vector>

#include "probes/robust_accuracy.h"

inline robustlab::AttackSpec attack_at(const std::string& name, double eps, double alpha, int steps,
                                       robustlab::RandomStart start) {
  robustlab::AttackSpec s;
  s.name = name;
  s.eps = eps;
  s.alpha = alpha;
  s.steps = steps;
  s.random_start = start;
  return s;
}

inline robustlab::AttackGrid attack_over(const std::string& name, double alpha_per_eps, int steps,
                                         robustlab::RandomStart start, std::vector<double> eps, int restarts = 1) {
  robustlab::AttackSpec spec = attack_at(name, 0, 0, steps, start);
  spec.alpha_per_eps = alpha_per_eps;
  spec.restarts = restarts;
  return {spec, std::move(eps)};
}
