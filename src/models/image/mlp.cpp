// Multi-layer perceptron: flatten, then Linear → ReLU for each hidden width.
#include "models/image/feature_extractor.h"
#include "runtime/user_error.h"

namespace robustlab {

FeatureExtractor mlp_extractor(const std::vector<int64_t>& input_shape, const std::vector<int64_t>& hidden) {
  if (hidden.empty()) throw UserError("model.hidden: an MLP needs at least one hidden layer");
  FeatureExtractor e;
  e.layers->push_back(torch::nn::Flatten());
  int64_t width = 1;
  for (int64_t s : input_shape) width *= s;
  for (int64_t h : hidden) {
    if (h < 1) throw UserError("model.hidden: widths must be >= 1");
    e.layers->push_back(torch::nn::Linear(width, h));
    e.layers->push_back(torch::nn::ReLU());
    width = h;
  }
  e.features = width;
  return e;
}

}  // namespace robustlab
