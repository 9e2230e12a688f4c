#include "models/torchscript_model.h"

#include <torch/script.h>

#include "runtime/user_error.h"

namespace robustlab {

TorchScriptModelImpl::TorchScriptModelImpl(std::shared_ptr<torch::jit::Module> m) : module(std::move(m)) {}

torch::Tensor TorchScriptModelImpl::forward(const torch::Tensor& x) {
  const c10::IValue out = module->forward({x});
  if (!out.isTensor()) throw UserError("the TorchScript model's forward does not return one tensor (logits)");
  return out.toTensor();
}

TorchScriptModel load_torchscript_model(const std::string& path, const c10::Device& device) {
  std::shared_ptr<torch::jit::Module> module;
  try {
    module = std::make_shared<torch::jit::Module>(torch::jit::load(path, device));
  } catch (const c10::Error& e) {
    const std::string what = e.what_without_backtrace();
    if (what.find("maximum supported version") != std::string::npos)
      throw UserError(path + ": saved by a newer PyTorch than this LibTorch (" + TORCH_VERSION +
                      ") can read; save it with PyTorch 1.13 or export it again");
    throw UserError(path + ": not a TorchScript model this LibTorch can load (" + what.substr(0, what.find('\n')) + ")");
  }
  module->eval();
  for (auto p : module->parameters()) p.set_requires_grad(false);
  return TorchScriptModel(module);
}

}  // namespace robustlab
