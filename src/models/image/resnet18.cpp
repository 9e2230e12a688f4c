// ResNet-18 in its CIFAR form (He et al. 2016; the variant robustness papers train): a 3×3 stem
// with no max-pool, four stages of two basic blocks with 64, 128, 256, 512 channels (stride 2 at
// the start of stages 2–4), global average pooling to 512 features. A basic block computes
//   y = ReLU( BN(conv3×3(ReLU(BN(conv3×3(x))))) + shortcut(x) ),
// with shortcut = identity, or a strided 1×1 conv + BN where the shape changes.
#include "models/image/feature_extractor.h"

namespace robustlab {
namespace {

namespace nn = torch::nn;

nn::Conv2d conv3x3(int64_t in, int64_t out, int64_t stride) {
  return nn::Conv2d(nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false));
}

class BasicBlockImpl : public nn::Module {
 public:
  BasicBlockImpl(int64_t in, int64_t out, int64_t stride)
      : conv1(register_module("conv1", conv3x3(in, out, stride))),
        bn1(register_module("bn1", nn::BatchNorm2d(out))),
        conv2(register_module("conv2", conv3x3(out, out, 1))),
        bn2(register_module("bn2", nn::BatchNorm2d(out))) {
    if (stride != 1 || in != out) {
      shortcut = register_module(
          "shortcut", nn::Sequential(nn::Conv2d(nn::Conv2dOptions(in, out, 1).stride(stride).bias(false)),
                                     nn::BatchNorm2d(out)));
    }
  }

  torch::Tensor forward(const torch::Tensor& x) {
    torch::Tensor y = bn2(conv2(torch::relu(bn1(conv1(x)))));
    return torch::relu(y + (shortcut ? shortcut->forward(x) : x));
  }

  nn::Conv2d conv1;
  nn::BatchNorm2d bn1;
  nn::Conv2d conv2;
  nn::BatchNorm2d bn2;
  nn::Sequential shortcut{nullptr};
};
TORCH_MODULE(BasicBlock);

}  // namespace

FeatureExtractor resnet18_extractor(const std::vector<int64_t>& shape) {
  FeatureExtractor e;
  e.layers->push_back(conv3x3(shape[0], 64, 1));
  e.layers->push_back(nn::BatchNorm2d(64));
  e.layers->push_back(nn::ReLU());
  int64_t in = 64;
  for (int64_t out : {64, 128, 256, 512}) {
    const int64_t stride = out == 64 ? 1 : 2;
    e.layers->push_back(BasicBlock(in, out, stride));
    e.layers->push_back(BasicBlock(out, out, 1));
    in = out;
  }
  e.layers->push_back(nn::AdaptiveAvgPool2d(1));
  e.layers->push_back(nn::Flatten());
  e.features = 512;
  return e;
}

}  // namespace robustlab
