// Options every robustlab command shares (--threads, --device, --quiet, --verbose), what they set
// up, and the default output directory of a run.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"

#include "runtime/environment.h"
#include "runtime/threads.h"
#include "experiment/run_context.h"

namespace CLI {
class App;
class Validator;
}

namespace robustlab {

struct RuntimeFlags {
  int threads = 0;
  std::string device = "cpu";
  bool quiet = false, verbose = false;
};

void add_runtime_flags(CLI::App* command, RuntimeFlags& flags);

// An integer option's check: a whole number in [min, max], said with the bounds in plain digits.
CLI::Validator whole_number(int64_t min, int64_t max);

// Applies the flags: the progress line, the thread plan for `workload`, the device. Prints the
// kernels and thread counts in use when verbose.
RunContext start_runtime(const RuntimeFlags& flags, Workload workload, RuntimeEnvironment* env = nullptr);

// runs/<prefix>-YYYYmmdd-HHMMSS, with a -2, -3 ... suffix if that exists.
std::string default_out_dir(const std::string& prefix);

// What a run reads from the disk: its config file and every path a text key of its config names
// (data.root, ...), which its output may never replace.
std::vector<std::string> input_paths(const Config& config, const std::string& config_file);

}  // namespace robustlab
