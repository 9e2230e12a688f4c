// The networks robustlab builds, by name, with one line each for `robustlab list`.
#pragma once
#include <string>
#include <vector>

namespace robustlab {

struct ModelInfo {
  std::string name;
  std::string summary;
};

const std::vector<ModelInfo>& all_models();

}  // namespace robustlab
