// A feature extractor: the part of an image classifier below its last linear layer, mapping
// normalised images [n, C, H, W] to features [n, p]. One file per architecture builds one.
#pragma once
#include <torch/nn/modules/container/sequential.h>
#include <vector>

namespace robustlab {

struct FeatureExtractor {
  torch::nn::Sequential layers;
  int64_t features = 0;  // p
};

// Input shape {C, H, W}.
FeatureExtractor mlp_extractor(const std::vector<int64_t>& input_shape, const std::vector<int64_t>& hidden);
FeatureExtractor small_cnn_extractor(const std::vector<int64_t>& input_shape);
FeatureExtractor resnet18_extractor(const std::vector<int64_t>& input_shape);

}  // namespace robustlab
