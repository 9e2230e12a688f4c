// A model saved from Python with torch.jit.save, scripted or traced, as robustlab attacks it: the
// field's convention, inputs N×C×H×W in [0, 1], logits out, normalisation inside the model. In
// Python:
//     model.eval()
//     torch.jit.save(torch.jit.script(model), "model.pt")   # or torch.jit.trace(model, x)
// Loading one runs the code it holds: load only files you trust (robustlab's own model files, by
// contrast, hold data only and are checked before use: models/state_file.h).
#pragma once
#include <c10/core/Device.h>
#include <string>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace torch::jit {
struct Module;
}

namespace robustlab {

class TorchScriptModelImpl : public torch::nn::Module {
 public:
  explicit TorchScriptModelImpl(std::shared_ptr<torch::jit::Module> module);
  torch::Tensor forward(const torch::Tensor& x);  // [n, ...] -> its output

  std::shared_ptr<torch::jit::Module> module;
};
TORCH_MODULE(TorchScriptModel);

// In eval mode with its parameters frozen (attacks ask for input gradients only). UserError naming
// the file when it is no TorchScript archive, or one this LibTorch is too old to read.
TorchScriptModel load_torchscript_model(const std::string& path, const c10::Device& device);

}  // namespace robustlab
