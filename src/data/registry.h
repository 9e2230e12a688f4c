// The datasets robustlab can build or read, by name, with one line each for `robustlab list`.
#pragma once
#include <string>
#include <vector>

namespace robustlab {

struct DatasetInfo {
  std::string name;
  std::string summary;
};

const std::vector<DatasetInfo>& all_datasets();

}  // namespace robustlab
