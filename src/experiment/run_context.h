// Where and with which seed a study runs.
#pragma once
#include <c10/core/Device.h>
#include <cstdint>
#include <string>

namespace robustlab {

struct RunContext {
  c10::Device device = c10::Device("cpu");
  uint64_t seed = 0;
  std::string config_toml;  // the run's resolved config, stored in the model files it saves
};

}  // namespace robustlab
