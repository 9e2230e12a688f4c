// The measurements robustlab takes of a trained model, with one line each for `robustlab list`.
#pragma once
#include <string>
#include <vector>

namespace robustlab {

struct ProbeInfo {
  std::string name;
  std::string summary;
};

const std::vector<ProbeInfo>& all_probes();

}  // namespace robustlab
