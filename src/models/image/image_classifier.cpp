#include "models/image/image_classifier.h"

#include "models/image/feature_extractor.h"
#include "runtime/find_by_name.h"
#include "runtime/user_error.h"

namespace robustlab {
namespace {

struct Architecture {
  std::string name;
  std::string summary;
  FeatureExtractor (*build)(const ImageModelSpec&);
};

const std::vector<Architecture>& architectures() {
  static const std::vector<Architecture> all = {
      {"mlp", "image classifier: flatten, Linear+ReLU per model.hidden width, linear output",
       [](const ImageModelSpec& s) { return mlp_extractor(s.input_shape, s.hidden); }},
      {"small-cnn", "image classifier: LeNet-5 style, 2 conv + 3 linear layers",
       [](const ImageModelSpec& s) { return small_cnn_extractor(s.input_shape); }},
      {"resnet18", "image classifier: ResNet-18, CIFAR form (3x3 stem, no max-pool)",
       [](const ImageModelSpec& s) { return resnet18_extractor(s.input_shape); }},
  };
  return all;
}

// PyTorch's default initialisation of Linear and Conv2d, drawn from our generator.
void init_from(torch::nn::Module& module, at::Generator& gen) {
  torch::NoGradGuard no_grad;
  for (auto& m : module.modules(/*include_self=*/false)) {
    torch::Tensor weight, bias;
    if (auto* linear = m->as<torch::nn::Linear>()) {
      weight = linear->weight;
      bias = linear->bias;
    } else if (auto* conv = m->as<torch::nn::Conv2d>()) {
      weight = conv->weight;
      bias = conv->bias;
    } else {
      continue;
    }
    const double bound = 1.0 / std::sqrt(static_cast<double>(weight[0].numel()));  // fan_in
    weight.uniform_(-bound, bound, gen);
    if (bias.defined()) bias.uniform_(-bound, bound, gen);
  }
}

}  // namespace

const std::vector<std::string>& image_architectures() {
  static const std::vector<std::string> names = names_of(architectures());
  return names;
}

double parameter_count(const ImageModelSpec& s) {
  const double channels = s.input_shape.size() == 3 ? static_cast<double>(s.input_shape[0]) : 1;
  const double side = s.input_shape.size() == 3 ? static_cast<double>(s.input_shape[1]) : 28;
  const double outputs = static_cast<double>(s.outputs);
  double features = 0, count = 0;
  if (s.architecture == "mlp") {
    double width = channels * side * side;
    for (int64_t h : s.hidden) {
      count += (width + 1) * static_cast<double>(h);
      width = static_cast<double>(h);
    }
    features = width;
  } else if (s.architecture == "small-cnn") {
    const double after = std::floor((std::floor(side / 2) - 4) / 2);
    count = (channels * 25 + 1) * 6 + (6 * 25 + 1) * 16 + (16 * after * after + 1) * 120 + 121 * 84;
    features = 84;
  } else {  // resnet18: 11.17 M in the extractor, the stem's input channels aside
    count = 11.17e6 + channels * 64 * 9;
    features = 512;
  }
  return count + (features + 1) * outputs;
}

std::vector<ModelInfo> image_model_infos() {
  std::vector<ModelInfo> infos;
  for (const auto& a : architectures()) infos.push_back({a.name, a.summary});
  return infos;
}

std::string ImageModelSpec::to_json() const {
  nlohmann::json j;
  FieldsToJson out(j);
  ImageModelSpec copy = *this;
  copy.fields(out);
  j["input_shape"] = input_shape;
  j["outputs"] = outputs;
  j["channel_mean"] = channel_mean;
  j["channel_std"] = channel_std;
  return j.dump();
}

ImageModelSpec ImageModelSpec::from_json(const std::string& text) {
  try {
    const auto j = nlohmann::json::parse(text);
    ImageModelSpec s;
    FieldsFromJson in(j, "model spec");
    s.fields(in);
    s.input_shape = j.at("input_shape").get<std::vector<int64_t>>();
    s.outputs = j.at("outputs").get<int64_t>();
    s.channel_mean = j.at("channel_mean").get<std::vector<double>>();
    s.channel_std = j.at("channel_std").get<std::vector<double>>();
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw UserError(std::string("model spec: malformed (") + e.what() + ")");
  }
}

ImageClassifierImpl::ImageClassifierImpl(const ImageModelSpec& s, at::Generator& gen) : spec(s) {
  const Architecture& architecture = find_by_name(architectures(), s.architecture, "model architecture");
  if (s.input_shape.size() != 3) throw UserError("model: input shape must be {C, H, W}");
  if (s.outputs < 1) throw UserError("model: outputs must be >= 1");
  if (s.channel_mean.size() != static_cast<size_t>(s.input_shape[0]) || s.channel_std.size() != s.channel_mean.size())
    throw UserError("model: one normalisation mean and std per input channel expected");
  normalize = register_module("normalize", Normalize(s.channel_mean, s.channel_std));
  FeatureExtractor e = architecture.build(s);
  extractor = register_module("extractor", e.layers);
  classifier = register_module("classifier", torch::nn::Linear(e.features, s.outputs));
  init_from(*this, gen);
}

torch::Tensor ImageClassifierImpl::features(const torch::Tensor& x) {
  return extractor->forward(normalize(x));
}

torch::Tensor ImageClassifierImpl::forward(const torch::Tensor& x) {
  torch::Tensor z = classifier(features(x));
  return spec.outputs == 1 ? z.squeeze(1) : z;
}

}  // namespace robustlab
