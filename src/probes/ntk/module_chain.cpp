#include "probes/ntk/module_chain.h"

#include <torch/nn/modules/conv.h>

#include "models/binary_readout.h"
#include "models/image/image_classifier.h"
#include "models/ntk_relu_net.h"
#include "models/two_layer/decoupled_relu.h"
#include "models/two_layer/two_layer_relu.h"

namespace robustlab {
namespace {

// The module's own forward, as a step.
FixedMap call_of(const torch::nn::AnyModule& module) {
  torch::nn::AnyModule copy = module;
  return [copy](const at::Tensor& x) mutable { return copy.forward(x); };
}

// Appends the steps of `module` to `chain`; false when the module is not a dense chain.
bool append_module(const std::shared_ptr<torch::nn::Module>& module, const FixedMap& call, DenseChain& chain);

bool append_sequential(torch::nn::SequentialImpl& sequential, DenseChain& chain) {
  for (auto& item : sequential) {
    if (!append_module(item.ptr(), call_of(item), chain)) return false;
  }
  return true;
}

bool append_module(const std::shared_ptr<torch::nn::Module>& module, const FixedMap& call, DenseChain& chain) {
  if (auto linear = std::dynamic_pointer_cast<torch::nn::LinearImpl>(module)) {
    chain.steps.emplace_back(DenseLayer{linear->weight, linear->bias});
    return true;
  }
  if (auto conv = std::dynamic_pointer_cast<torch::nn::Conv2dImpl>(module)) {
    const auto& o = conv->options;
    // Explicit zero padding only ('same'/'valid' and other padding modes are read by Jacobians).
    const auto* padding = c10::get_if<torch::ExpandingArray<2>>(&o.padding());
    if (o.groups() != 1 || !padding || !c10::holds_alternative<torch::enumtype::kZeros>(o.padding_mode())) return false;
    chain.steps.emplace_back(ConvLayer{conv->weight, conv->bias, at::IntArrayRef(o.stride()).vec(), at::IntArrayRef(*padding).vec(),
                                       at::IntArrayRef(o.dilation()).vec()});
    return true;
  }
  if (auto sequential = std::dynamic_pointer_cast<torch::nn::SequentialImpl>(module))
    return append_sequential(*sequential, chain);
  if (auto image = std::dynamic_pointer_cast<ImageClassifierImpl>(module)) {
    Normalize normalize = image->normalize;
    chain.steps.emplace_back(FixedMap([normalize](const at::Tensor& x) mutable { return normalize->forward(x); }));
    if (!append_sequential(*image->extractor, chain)) return false;
    chain.steps.emplace_back(DenseLayer{image->classifier->weight, image->classifier->bias});
    if (image->spec.outputs == 1) chain.steps.emplace_back(FixedMap([](const at::Tensor& z) { return z.squeeze(1); }));
    return true;
  }
  if (auto two_layer = std::dynamic_pointer_cast<TwoLayerReluImpl>(module)) {
    // f = ReLU(x Wᵀ + b) · a with the readout a fixed.
    chain.steps.emplace_back(DenseLayer{two_layer->weight, two_layer->bias});
    const at::Tensor readout = two_layer->second_layer;
    chain.steps.emplace_back(FixedMap([readout](const at::Tensor& y) { return torch::relu(y).matmul(readout); }));
    return true;
  }
  if (auto decoupled = std::dynamic_pointer_cast<DecoupledReluImpl>(module)) {
    // z_j = Σ_r ReLU(y_{j,r}): each output sums its own units.
    chain.steps.emplace_back(DenseLayer{decoupled->weight, decoupled->bias});
    const int64_t outputs = decoupled->outputs, units = decoupled->units_per_output;
    chain.steps.emplace_back(FixedMap([outputs, units](const at::Tensor& y) {
      return torch::relu(y).view({y.size(0), outputs, units}).sum(2);
    }));
    return true;
  }
  if (auto ntk_net = std::dynamic_pointer_cast<NtkReluNetImpl>(module)) {
    // Centred, its frozen initial copy adds a constant in θ to the output: the same NTK.
    const ReluNtkOptions& k = ntk_net->options.kernel;
    chain.steps.emplace_back(FixedMap([](const at::Tensor& x) { return x.flatten(1); }));
    for (size_t l = 0; l < ntk_net->weights.size(); ++l) {
      if (l > 0) chain.steps.emplace_back(FixedMap([](const at::Tensor& h) { return torch::relu(h); }));
      const double fan_in = static_cast<double>(ntk_net->weights[l].size(1));
      chain.steps.emplace_back(DenseLayer{ntk_net->weights[l], ntk_net->biases[l], k.weight_std / std::sqrt(fan_in),
                                          k.bias_std});
    }
    chain.steps.emplace_back(FixedMap([](const at::Tensor& z) { return z.squeeze(1); }));
    return true;
  }
  if (auto readout = std::dynamic_pointer_cast<BinaryReadoutImpl>(module)) {
    if (!append_module(readout->classifier.ptr(), call_of(readout->classifier), chain)) return false;
    const at::Tensor positive = readout->positive;
    chain.steps.emplace_back(FixedMap([positive](const at::Tensor& z) { return binary_readout(z, positive); }));
    return true;
  }
  // Any other module is a step only when it has no parameters: an activation, flatten, dropout in eval.
  if (!module->parameters(/*recurse=*/true).empty()) return false;
  chain.steps.emplace_back(call);
  return true;
}

}  // namespace

std::optional<DenseChain> dense_chain_of(const torch::nn::AnyModule& model) {
  DenseChain chain;
  if (!append_module(model.ptr(), call_of(model), chain)) return std::nullopt;
  return chain;
}

}  // namespace robustlab
