// A LeNet-5-style CNN (LeCun et al. 1998), with ReLU and max pooling:
//   conv 5×5, 6 maps, padding 2 → ReLU → max-pool 2   (28×28 → 14×14; 32×32 → 16×16)
//   conv 5×5, 16 maps           → ReLU → max-pool 2   (14 → 10 → 5;    16 → 12 → 6)
//   linear → 120 → ReLU → linear → 84 → ReLU          (the 84 features the classifier reads)
#include "models/image/feature_extractor.h"
#include "runtime/user_error.h"

namespace robustlab {

FeatureExtractor small_cnn_extractor(const std::vector<int64_t>& shape) {
  const int64_t channels = shape[0], side = shape[1];
  const int64_t after = ((side / 2) - 4) / 2;  // spatial size after the second pooling
  if (after < 1) throw UserError("model.architecture: small-cnn needs images of at least 12x12");
  namespace nn = torch::nn;
  FeatureExtractor e;
  e.layers->push_back(nn::Conv2d(nn::Conv2dOptions(channels, 6, 5).padding(2)));
  e.layers->push_back(nn::ReLU());
  e.layers->push_back(nn::MaxPool2d(2));
  e.layers->push_back(nn::Conv2d(nn::Conv2dOptions(6, 16, 5)));
  e.layers->push_back(nn::ReLU());
  e.layers->push_back(nn::MaxPool2d(2));
  e.layers->push_back(nn::Flatten());
  e.layers->push_back(nn::Linear(16 * after * after, 120));
  e.layers->push_back(nn::ReLU());
  e.layers->push_back(nn::Linear(120, 84));
  e.layers->push_back(nn::ReLU());
  e.features = 84;
  return e;
}

}  // namespace robustlab
