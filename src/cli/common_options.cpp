#include "cli/common_options.h"

#include <CLI/CLI.hpp>
#include <charconv>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "data/images/image_datasets.h"
#include "runtime/device.h"
#include "runtime/progress.h"

namespace robustlab {

void add_runtime_flags(CLI::App* cmd, RuntimeFlags& f) {
  cmd->add_option("--threads", f.threads, "threads (default: all cores, or what a config file records)")
      ->check(whole_number(0, static_cast<int64_t>(kMaxThreads)));
  cmd->add_option("--device", f.device, "cpu or cuda");
  cmd->add_flag("-q,--quiet", f.quiet, "no progress line and no summary");
  cmd->add_flag("-v,--verbose", f.verbose, "print the kernels and thread counts in use");
}

CLI::Validator whole_number(int64_t min, int64_t max) {
  const std::string range = std::to_string(min) + " to " + std::to_string(max);
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        int64_t v = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (error != std::errc() || end != text.data() + text.size() || v < min || v > max)
          return "must be a whole number from " + range + ", got " + text;
        return "";
      },
      "INT in " + range);
}

RunContext start_runtime(const RuntimeFlags& f, Workload workload, RuntimeEnvironment* env_out) {
  Progress::set_enabled(!f.quiet);
  RunContext ctx;
  ctx.device = parse_device(f.device);
  apply_thread_plan(plan_threads(f.threads, workload));
  const RuntimeEnvironment env = describe_runtime(ctx.device);
  if (f.verbose) std::cerr << "robustlab: " << one_line(env) << "\n";
  if (env_out) *env_out = env;
  return ctx;
}

std::string default_out_dir(const std::string& prefix) {
  const std::time_t now = std::time(nullptr);
  std::ostringstream name;
  name << "runs/" << prefix << "-" << std::put_time(std::localtime(&now), "%Y%m%d-%H%M%S");
  std::string dir = name.str();
  for (int i = 2; std::filesystem::exists(dir); ++i) dir = name.str() + "-" + std::to_string(i);
  return dir;
}

std::vector<std::string> input_paths(const Config& config, const std::string& config_file) {
  std::vector<std::string> inputs;
  if (!config_file.empty()) inputs.push_back(config_file);
  for (const auto& field : config.schema().fields()) {
    if (field.type != FieldType::Text) continue;
    const std::string& value = std::get<std::string>(config.value(field.key));
    std::error_code ec;
    if (!value.empty() && std::filesystem::exists(value, ec)) inputs.push_back(value);
  }
  // An image dataset read from its default place (data.root left empty).
  if (config.schema().find("data.name") && config.schema().find("data.root") && config.text("data.root").empty())
    inputs.push_back(default_data_root(config.text("data.name")));
  return inputs;
}

}  // namespace robustlab
