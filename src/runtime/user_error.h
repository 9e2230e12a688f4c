// A UserError is a mistake in what the user gave robustlab (a config key, a flag, a file): the CLI
// prints its message as one line and exits non-zero. Anything else that escapes is a bug.
#pragma once
#include <stdexcept>
#include <string>

namespace robustlab {

struct UserError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace robustlab
