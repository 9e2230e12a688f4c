#include "data/registry.h"

#include "data/images/image_datasets.h"

namespace robustlab {

const std::vector<DatasetInfo>& all_datasets() {
  static const std::vector<DatasetInfo> all = [] {
    std::vector<DatasetInfo> list = {
        {"orthogonal-clusters", "k orthogonal centres of norm sqrt(d) plus N(0, I) noise, binary by cluster"},
        {"sparse-coding", "x = M z + noise, M an orthogonal dictionary, z sparse +-1, y = sign<w*, z> (dense w*)"},
    };
    for (const auto& name : image_dataset_names()) {
      const std::string root = default_data_root(name);
      list.push_back({name, "images in [0,1], " + (root.empty() ? "files from data.root" : "in " + root)});
    }
    return list;
  }();
  return all;
}

}  // namespace robustlab
