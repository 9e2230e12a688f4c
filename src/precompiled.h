// The precompiled header of every robustlab source file: LibTorch's full frontend is heavy to
// parse, so it is parsed once here. Headers of robustlab itself include only the small LibTorch
// headers they need (tensor types, nn::Module) and never <torch/torch.h>.
#pragma once
#include <torch/torch.h>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>
