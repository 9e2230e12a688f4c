#include "cli/attack_target.h"

#include <sstream>

#include "models/model_file.h"
#include "models/state_file.h"
#include "models/torchscript_model.h"
#include "models/zip_archive.h"
#include "runtime/input_file.h"
#include "runtime/user_error.h"

namespace robustlab {
namespace {

// The last non-empty line of an error: where LibTorch (and a TorchScript traceback) says what failed.
std::string last_line(const std::string& text) {
  std::string last, line;
  std::istringstream in(text);
  while (std::getline(in, line))
    if (line.find_first_not_of(" \t") != std::string::npos) last = line;
  return last.substr(last.find_first_not_of(" \t"));
}

}  // namespace

AttackTarget load_attack_target(const std::string& path, const std::string& data, const c10::Device& device) {
  const std::vector<uint8_t> bytes = read_input_file(path, kMaxStateFileBytes, "model file");
  AttackTarget target;
  if (archive_kind(bytes.data(), bytes.size()) == ArchiveKind::TorchScript) {
    if (data.empty())
      throw UserError("--data: " + path + " is a TorchScript file, which does not say which dataset it was trained "
                      "on; give --data NAME");
    target.model = torch::nn::AnyModule(load_torchscript_model(path, device));
    target.kind = "torchscript";
    target.dataset = data;
    return target;
  }
  const LoadedModel loaded = load_model_file(path, device);
  target.model = torch::nn::AnyModule(loaded.model);
  target.kind = "robustlab";
  target.dataset = data.empty() ? loaded.task.dataset : data;
  target.labels = loaded.task.labels;
  return target;
}

void check_fits(const AttackTarget& target, const std::string& path, const Dataset& test, int64_t classes) {
  const int64_t outputs = is_binary(target.labels) ? 1 : classes;
  torch::Tensor answer;
  try {
    torch::NoGradGuard no_grad;
    answer = torch::nn::AnyModule(target.model).forward(test.inputs.narrow(0, 0, std::min<int64_t>(2, test.size())));
  } catch (const std::exception& e) {  // c10::Error, or the TorchScript interpreter's own
    throw UserError(path + ": does not take " + target.dataset + " images of shape " +
                    c10::str(test.inputs.sizes().slice(1)) + " (" + last_line(e.what()) + ")");
  }
  const bool fits = outputs == 1 ? answer.dim() == 1 : answer.dim() == 2 && answer.size(1) == outputs;
  if (!fits)
    throw UserError(path + ": answers with outputs of shape " + c10::str(answer.sizes()) + "; its task (" + target.labels.kind +
                    " of " + target.dataset + ") needs " + (outputs == 1 ? "one score per image" : std::to_string(outputs) + " logits per image"));
}

}  // namespace robustlab
