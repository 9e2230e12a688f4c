#include "models/state_file.h"

#include <filesystem>
#include <fstream>

#include "runtime/atomic_file.h"
#include "runtime/user_error.h"

namespace robustlab {

StateDict module_state(torch::nn::Module& module) {
  StateDict state;
  for (const auto& p : module.named_parameters()) state.insert(p.key(), p.value().detach().to(torch::kCPU).clone());
  for (const auto& b : module.named_buffers()) state.insert(b.key(), b.value().detach().to(torch::kCPU).clone());
  return state;
}

void load_module_state(torch::nn::Module& module, const StateDict& state, const std::string& source) {
  torch::NoGradGuard no_grad;
  size_t used = 0;
  auto copy = [&](const std::string& name, torch::Tensor& target) {
    const auto it = state.find(name);
    if (it == state.end()) throw UserError(source + ": no tensor '" + name + "' for this model");
    const torch::Tensor& value = it->value();
    if (value.sizes() != target.sizes())
      throw UserError(source + ": tensor '" + name + "' has shape " + c10::str(value.sizes()) +
                      ", the model expects " + c10::str(target.sizes()));
    target.copy_(value);
    ++used;
  };
  for (auto& p : module.named_parameters()) copy(p.key(), p.value());
  for (auto& b : module.named_buffers()) copy(b.key(), b.value());
  if (used != state.size())
    throw UserError(source + ": holds " + std::to_string(state.size() - used) +
                    " tensors this model does not have (a different architecture?)");
}

StateFile empty_state_file() { return StateFile(c10::StringType::get(), c10::AnyType::get()); }

StateFile make_state_file(torch::nn::Module& module, const std::map<std::string, std::string>& texts) {
  StateFile file = empty_state_file();
  file.insert("format", std::string(kStateFileFormat));
  file.insert("model", module_state(module));
  for (const auto& [key, value] : texts) file.insert(key, value);
  return file;
}

void save_state_file(const std::string& path, const StateFile& file) {
  const std::vector<char> bytes = torch::pickle_save(file);
  write_file_atomically(path, std::string(bytes.begin(), bytes.end()));
}

StateFile load_state_file(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw UserError(path + ": file not found");
  std::ifstream in(path, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  c10::IValue value;
  try {
    value = torch::pickle_load(bytes);
  } catch (const c10::Error&) {
    throw UserError(path + ": not a readable robustlab model or checkpoint file (damaged or another format)");
  }
  if (!value.isGenericDict()) throw UserError(path + ": not a robustlab model or checkpoint file");
  StateFile file = value.toGenericDict();
  const auto format = file.find(std::string("format"));
  if (format == file.end() || !format->value().isString() || format->value().toStringRef() != kStateFileFormat)
    throw UserError(path + ": not a robustlab model or checkpoint file (format is not " +
                    std::string(kStateFileFormat) + ")");
  return file;
}

c10::IValue state_entry(const StateFile& file, const std::string& key, const std::string& path) {
  const auto it = file.find(key);
  if (it == file.end()) throw UserError(path + ": has no '" + key + "' entry");
  return it->value();
}

std::string state_text(const StateFile& file, const std::string& key, const std::string& path) {
  const c10::IValue v = state_entry(file, key, path);
  if (!v.isString()) throw UserError(path + ": entry '" + key + "' is not text");
  return v.toStringRef();
}

StateDict state_tensors(const StateFile& file, const std::string& key, const std::string& path) {
  const c10::IValue v = state_entry(file, key, path);
  if (!v.isGenericDict()) throw UserError(path + ": entry '" + key + "' is not a dict of tensors");
  StateDict out;
  for (const auto& item : v.toGenericDict()) {
    if (!item.key().isString() || !item.value().isTensor())
      throw UserError(path + ": entry '" + key + "' is not a dict of named tensors");
    out.insert(item.key().toStringRef(), item.value().toTensor());
  }
  return out;
}

}  // namespace robustlab
