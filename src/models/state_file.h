// robustlab's weight and checkpoint files. A file is a dictionary pickled in PyTorch's own zip
// format (torch::pickle_save), so Python reads it with no robustlab code at all:
//     import torch
//     state = torch.load("binary.pt")["model"]     # {name: tensor}, a state dict
// Keys: "format" (kFormat), "model" (parameters and buffers by name), and text entries
// ("spec", "task", ...) that say how to rebuild and use the model; checkpoints add "training".
// Files are written atomically: to a temporary name beside the target, then renamed over it,
// so a reader (or a run killed mid-write) sees the old file or the new one, never a torn one.
#pragma once
#include <ATen/core/Dict.h>
#include <ATen/core/ivalue.h>
#include <cstdint>
#include <map>
#include <string>

namespace torch::nn {
class Module;
}

namespace robustlab {

constexpr const char* kStateFileFormat = "robustlab-state-1";

using StateDict = c10::Dict<std::string, at::Tensor>;
using StateFile = c10::impl::GenericDict;  // string keys

StateFile empty_state_file();

// Every named parameter and buffer, detached and on CPU.
StateDict module_state(torch::nn::Module& module);

// Copies `state` into the module's parameters and buffers in place. UserError naming `source`
// for a missing entry, an entry the module does not have, or a shape that differs.
void load_module_state(torch::nn::Module& module, const StateDict& state, const std::string& source);

// A new file dict holding format, the module's state under "model" and the text entries.
StateFile make_state_file(torch::nn::Module& module, const std::map<std::string, std::string>& texts);

void save_state_file(const std::string& path, const StateFile& file);  // atomic

// Reading is safe on any bytes: the archive's directory, its pickle and every tensor against the
// bytes that hold it are checked before a tensor is touched (models/zip_archive.h,
// models/pickle_check.h). UserError naming the file: missing, not ours, damaged or crafted.
constexpr uint64_t kMaxStateFileBytes = uint64_t{8} << 30;
StateFile load_state_file(const std::string& path);
StateFile state_file_from_bytes(const uint8_t* data, size_t size);  // FileFormatError (models/zip_archive.h)

// Entries of a loaded file; UserError naming path and key when absent or of another type.
std::string state_text(const StateFile& file, const std::string& key, const std::string& path);
StateDict state_tensors(const StateFile& file, const std::string& key, const std::string& path);
c10::IValue state_entry(const StateFile& file, const std::string& key, const std::string& path);

}  // namespace robustlab
