// The torch::Device a run computes on, parsed from --device and checked against what this
// LibTorch build and machine actually have.
#pragma once
#include <c10/core/Device.h>
#include <string>

namespace robustlab {

// "cpu" or "cuda" (or "cuda:N"); throws UserError if the device is unknown or not available.
c10::Device parse_device(const std::string& name);

}  // namespace robustlab
