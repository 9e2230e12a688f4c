#include "probes/registry.h"

namespace robustlab {

const std::vector<ProbeInfo>& all_probes() {
  static const std::vector<ProbeInfo> all = {
      {"accuracy", "clean accuracy"},
      {"robust-accuracy", "accuracy under each attack over an eps grid, per-example worst case"},
      {"critical-radius", "smallest eps on the grid where worst-case accuracy < 0.5"},
      {"gradient-masking", "one-step vs iterative, black-box vs white-box, unbounded eps, zero gradients, fewer steps"},
      {"feature-cosine", "cosine of each hidden unit with each ground-truth feature"},
      {"purification", "w_i = beta_i w_i' + v_i per neuron, dense-mixture mass off the largest atoms, high-frequency share"},
  };
  return all;
}

}  // namespace robustlab
