#include "runtime/device.h"

#include "runtime/user_error.h"

namespace robustlab {

c10::Device parse_device(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (name.rfind("cuda", 0) == 0) {
    if (!torch::cuda::is_available())
      throw UserError("--device " + name +
                      ": CUDA is not available (this LibTorch has no CUDA, or no GPU is visible)");
    try {
      return c10::Device(name);
    } catch (const c10::Error&) {
      throw UserError("--device " + name + ": not a device name (expected cpu, cuda or cuda:N)");
    }
  }
  throw UserError("--device " + name + ": unknown device (expected cpu or cuda)");
}

}  // namespace robustlab
