// Any bytes as a model or checkpoint file: the validated reader returns the file's dictionary, every
// tensor of which lies inside the file's bytes, or throws FileFormatError. Touching every tensor's
// last element makes ASan catch a tensor the checks let through that reaches past its storage.
#include "models/state_file.h"
#include "models/zip_archive.h"

namespace {
void touch_tensors(const c10::IValue& v) {
  if (v.isTensor()) {
    const at::Tensor t = v.toTensor();
    if (t.numel() > 0) t.flatten()[-1].item();
  } else if (v.isGenericDict()) {
    for (const auto& item : v.toGenericDict()) touch_tensors(item.value());
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const robustlab::StateFile file = robustlab::state_file_from_bytes(data, size);
    for (const auto& item : file) touch_tensors(item.value());
  } catch (const robustlab::FileFormatError&) {
  }
  return 0;
}
