// Any bytes as an IDX file (plain or gzip): read_idx returns a tensor or throws UserError, nothing else.
#include "data/images/idx_file.h"
#include "memory_file.h"
#include "runtime/user_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const MemoryFile file(data, size);
  try {
    robustlab::read_idx(file.path());
  } catch (const robustlab::UserError&) {
  }
  return 0;
}
