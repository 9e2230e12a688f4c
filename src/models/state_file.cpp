#include "models/state_file.h"

#include <ATen/ATen.h>
#include <caffe2/serialize/inline_container.h>
#include <caffe2/serialize/read_adapter_interface.h>
#include <torch/csrc/jit/serialization/unpickler.h>

#include <cstring>
#include <set>

#include "models/pickle_check.h"
#include "models/zip_archive.h"
#include "runtime/atomic_file.h"
#include "runtime/input_file.h"
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
    if (value.is_floating_point() && !torch::isfinite(value).all().item<bool>())
      throw UserError(source + ": tensor '" + name + "' holds NaN or infinite values");
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

namespace {

// A read adapter that never reads past the buffer (LibTorch's in-memory readers do, on a damaged
// directory).
class BoundedReader final : public caffe2::serialize::ReadAdapterInterface {
 public:
  BoundedReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  size_t size() const override { return size_; }
  size_t read(uint64_t pos, void* buf, size_t n, const char*) const override {
    if (pos >= size_) return 0;
    n = std::min<uint64_t>(n, size_ - pos);
    std::memcpy(buf, data_ + pos, n);
    return n;
  }

 private:
  const uint8_t* data_;
  size_t size_;
};

[[noreturn]] void fail(const std::string& what) { throw FileFormatError(what); }

// A tensor whose every element lies inside the bytes its file holds for it. LibTorch's unpickler
// takes the storage size from the pickle, not from the record, and sizes, strides and offset as
// written: without this check a crafted file reads past its buffers.
void check_tensor(const at::Tensor& t, const std::map<const void*, size_t>& record_sizes, const std::string& where) {
  auto bad = [&](const std::string& why) { fail("tensor " + where + ": " + why); };
  if (!t.defined() || t.layout() != at::kStrided || t.is_quantized() || t.device().type() != at::kCPU)
    bad("not a dense CPU tensor");
  switch (t.scalar_type()) {
    case at::kFloat: case at::kDouble: case at::kHalf: case at::kBFloat16: case at::kLong: case at::kInt:
    case at::kShort: case at::kChar: case at::kByte: case at::kBool: break;
    default: bad(std::string("element type ") + c10::toString(t.scalar_type()) + " is not allowed");
  }
  const void* base = t.storage().data();
  const size_t nbytes = t.storage().nbytes();
  if (!base) {
    if (nbytes != 0) bad("a storage without data that declares " + std::to_string(nbytes) + " bytes");
  } else {
    const auto it = record_sizes.find(base);
    if (it == record_sizes.end()) bad("a storage that is not a record of the file");
    if (nbytes > it->second)
      bad("its storage declares " + std::to_string(nbytes) + " bytes, the file holds " + std::to_string(it->second));
  }
  const auto sizes = t.sizes(), strides = t.strides();
  if (sizes.size() > 16) bad("more than 16 dimensions");
  if (t.storage_offset() < 0) bad("a negative storage offset");
  int64_t numel = 1, last = t.storage_offset(), step = 0, end = 0;
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] < 0 || strides[d] < 0) bad("a negative size or stride");
    if (__builtin_mul_overflow(numel, sizes[d], &numel)) bad("an element count that overflows");
  }
  if (numel == 0) return;  // nothing will be read
  for (size_t d = 0; d < sizes.size(); ++d)
    if (__builtin_mul_overflow(sizes[d] - 1, strides[d], &step) || __builtin_add_overflow(last, step, &last))
      bad("an extent that overflows");
  if (__builtin_add_overflow(last, 1, &end) || __builtin_mul_overflow(end, int64_t{t.element_size()}, &end) ||
      static_cast<uint64_t>(end) > nbytes)
    bad("elements beyond its storage (" + std::to_string(end) + " of " + std::to_string(nbytes) + " bytes)");
}

void check_value(const c10::IValue& v, const std::map<const void*, size_t>& record_sizes, const std::string& where,
                 int depth) {
  if (depth > 32) fail("nested too deeply at " + where);
  if (v.isTensor()) return check_tensor(v.toTensor(), record_sizes, where);
  if (v.isNone() || v.isBool() || v.isInt() || v.isDouble() || v.isString()) return;
  if (v.isGenericDict()) {
    for (const auto& item : v.toGenericDict()) {
      check_value(item.key(), record_sizes, where + "/<key>", depth + 1);
      check_value(item.value(), record_sizes, where + "/" + (item.key().isString() ? item.key().toStringRef() : "?"),
                  depth + 1);
    }
  } else if (v.isList()) {
    for (const c10::IValue& e : v.toListRef()) check_value(e, record_sizes, where + "[]", depth + 1);
  } else if (v.isTuple()) {
    for (const c10::IValue& e : v.toTupleRef().elements()) check_value(e, record_sizes, where + "()", depth + 1);
  } else {
    fail(std::string("a value of type ") + v.tagKind() + " at " + where);
  }
}

c10::TypePtr known_types_only(const std::string& name) {
  static const std::set<std::string> allowed = {"Dict[str, Tensor]", "Dict[str, Any]", "Dict[str, str]",
                                                "List[Tensor]", "List[int]", "List[float]", "List[str]"};
  if (!allowed.count(name)) fail("pickle: type tag '" + name + "' is not allowed");
  return torch::jit::Unpickler::defaultTypeParser(name);
}

// The dictionary a state file holds, from its bytes: the archive's directory read and bounded,
// the pickle checked (models/pickle_check.h), then unpickled by LibTorch with each storage read
// once and every tensor checked against the record that holds its bytes.
c10::IValue parse_state_bytes(const uint8_t* data, size_t size) {
  switch (archive_kind(data, size)) {
    case ArchiveKind::StateFile: break;
    case ArchiveKind::TorchScript: fail("a TorchScript archive (torch.jit.save), not a robustlab model or checkpoint");
    case ArchiveKind::LegacyPickle: fail("a torch.save file from before PyTorch 1.6 (a bare pickle), not a zip archive");
    case ArchiveKind::OtherZip: fail("a zip archive without data.pkl, not a robustlab model or checkpoint");
    case ArchiveKind::NotZip: read_zip_directory(data, size, 0); fail("not a zip archive");  // says why
  }
  // torch.save stores records uncompressed: allow twice the file, never a zip bomb.
  read_zip_directory(data, size, 2 * static_cast<uint64_t>(size) + (1 << 20));
  try {
    caffe2::serialize::PyTorchStreamReader reader(std::make_shared<BoundedReader>(data, size));
    if (!reader.hasRecord("data.pkl")) fail("no data.pkl record");
    at::DataPtr pickle;
    size_t pickle_size = 0;
    std::tie(pickle, pickle_size) = reader.getRecord("data.pkl");
    const auto* pk = static_cast<const uint8_t*>(pickle.get());
    check_pickle(pk, pickle_size);

    // Storages shared by several tensors share one read of their record, as in torch.load.
    std::map<std::string, std::shared_ptr<at::DataPtr>> by_key;
    std::map<const void*, size_t> record_sizes;
    auto read_record = [&](const std::string& key) -> at::DataPtr {
      auto it = by_key.find(key);
      if (it == by_key.end()) {
        auto [bytes, length] = reader.getRecord("data/" + key);
        auto shared = std::make_shared<at::DataPtr>(std::move(bytes));
        record_sizes[shared->get()] = length;
        it = by_key.emplace(key, std::move(shared)).first;
      }
      auto* owner = new std::shared_ptr<at::DataPtr>(it->second);
      return at::DataPtr((*owner)->get(), owner, [](void* o) { delete static_cast<std::shared_ptr<at::DataPtr>*>(o); },
                         at::kCPU);
    };
    size_t pos = 0;
    auto read_pickle = [&](char* buf, size_t len) -> size_t {
      len = std::min(len, pickle_size - pos);
      std::memcpy(buf, pk + pos, len);
      pos += len;
      return len;
    };
    torch::jit::Unpickler unpickler(read_pickle, nullptr, nullptr, read_record, at::Device(at::kCPU), false,
                                    known_types_only);
    unpickler.set_version(reader.version());
    c10::IValue root = unpickler.parse_ivalue();
    check_value(root, record_sizes, "", 0);
    return root;
  } catch (const FileFormatError&) {
    throw;
  } catch (const c10::Error& e) {
    fail(std::string("unreadable (") + e.what_without_backtrace() + ")");
  } catch (const std::exception& e) {  // a malformed version record, an allocation ...
    fail(std::string("unreadable (") + e.what() + ")");
  }
}

}  // namespace

StateFile state_file_from_bytes(const uint8_t* data, size_t size) {
  const c10::IValue value = parse_state_bytes(data, size);
  if (!value.isGenericDict()) fail("not a robustlab model or checkpoint file");
  StateFile file = value.toGenericDict();
  const auto format = file.find(std::string("format"));
  if (format == file.end() || !format->value().isString() || format->value().toStringRef() != kStateFileFormat)
    fail("not a robustlab model or checkpoint file (format is not " + std::string(kStateFileFormat) + ")");
  return file;
}

StateFile load_state_file(const std::string& path) {
  const std::vector<uint8_t> bytes = read_input_file(path, kMaxStateFileBytes, "model or checkpoint file");
  try {
    return state_file_from_bytes(bytes.data(), bytes.size());
  } catch (const FileFormatError& e) {
    throw UserError(path + ": " + e.what());
  }
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
