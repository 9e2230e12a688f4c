// The image classifiers of the real-data studies: normalise → feature extractor (MLP, LeNet-style
// CNN or ResNet-18) → one linear layer to the outputs. One output makes a binary classifier (the
// forward returns the score f(x) [n], labels ±1); C outputs a C-class one (logits [n, C]); see
// models/classification.h. The spec is everything needed to rebuild the network, and is saved in
// every checkpoint beside the weights.
#pragma once
#include <ATen/core/Generator.h>
#include <string>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>
#include <vector>

#include "config/fields.h"
#include "models/image/normalize.h"
#include "models/registry.h"

namespace robustlab {

const std::vector<std::string>& image_architectures();
std::vector<ModelInfo> image_model_infos();  // name and summary of each architecture

struct ImageModelSpec;
// How many parameters the network of a spec has, counted without building it (in double: a
// config asking for 10^12 units must be refused, not overflow).
double parameter_count(const ImageModelSpec& spec);

struct ImageModelSpec {
  std::string architecture = "small-cnn";  // mlp, small-cnn, resnet18
  std::vector<int64_t> hidden = {256, 256};  // mlp only
  // From the data, not the config:
  std::vector<int64_t> input_shape;        // {C, H, W}
  int64_t outputs = 10;                    // 1: binary score
  std::vector<double> channel_mean, channel_std;

  void fields(Fields& f) {  // the config keys model.*; the saved spec holds them and the rest
    f.field("architecture", architecture, "mlp, small-cnn (LeNet-5 style) or resnet18 (CIFAR form)",
            image_architectures());
    f.field("hidden", hidden, "mlp: hidden layer widths", {1});
  }
  std::string to_json() const;
  static ImageModelSpec from_json(const std::string& text);  // UserError when malformed
};

class ImageClassifierImpl : public torch::nn::Module {
 public:
  // Weights drawn from `generator` with PyTorch's default scheme for Linear and Conv2d layers,
  // U(−1/√fan_in, 1/√fan_in) for weights and biases, so that a seed fixes them.
  ImageClassifierImpl(const ImageModelSpec& spec, at::Generator& generator);

  torch::Tensor features(const torch::Tensor& x);  // [n, C, H, W] -> [n, p]
  torch::Tensor forward(const torch::Tensor& x);   // [n] (binary) or [n, outputs]

  ImageModelSpec spec;
  Normalize normalize{nullptr};
  torch::nn::Sequential extractor{nullptr};
  torch::nn::Linear classifier{nullptr};
};
TORCH_MODULE(ImageClassifier);

}  // namespace robustlab
