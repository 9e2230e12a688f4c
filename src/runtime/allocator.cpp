#include "runtime/allocator.h"

#include <malloc.h>

namespace robustlab {

void keep_freed_memory_for_reuse() {
  constexpr int kOneGiB = 1 << 30;
  mallopt(M_MMAP_THRESHOLD, kOneGiB);  // blocks below this come from the heap, not mmap
  mallopt(M_TRIM_THRESHOLD, kOneGiB);  // keep up to this much free memory instead of trimming
}

}  // namespace robustlab
