// Any bytes as a CIFAR-10 batch file: read_cifar10_batch returns images and labels or throws UserError.
#include "data/images/cifar10_batches.h"
#include "memory_file.h"
#include "runtime/user_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const MemoryFile file(data, size);
  try {
    robustlab::read_cifar10_batch(file.path());
  } catch (const robustlab::UserError&) {
  }
  return 0;
}
