#include "models/registry.h"

#include "models/image/image_classifier.h"

namespace robustlab {

const std::vector<ModelInfo>& all_models() {
  static const std::vector<ModelInfo> all = [] {
    std::vector<ModelInfo> list = {
        {"two-layer-relu", "binary net, m units per sign, fixed +-1 second layer (feature averaging)"},
        {"decoupled-relu", "k outputs, one ReLU unit each; binary readout log P(J+) - log P(J-)"},
        {"symmetric-relu", "binary net of soft-thresholded neurons, b_i = threshold*|w_i|, fixed second layer (purification)"},
    };
    for (const auto& info : image_model_infos()) list.push_back(info);
    return list;
  }();
  return all;
}

}  // namespace robustlab
