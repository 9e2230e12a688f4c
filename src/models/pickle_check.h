// A check of a state file's pickle (its data.pkl) before LibTorch's unpickler runs it. That
// unpickler trusts its input: it pops empty stacks, follows stale marks and recurses without
// bound, and a few bytes can crash it. torch.save and torch::pickle_save write a small subset of
// pickle protocol 2; this walks the opcodes, simulating the stack, the marks and the memo, and
// accepts only that subset, every operand inside the buffer, nesting at most 32 deep, and the few
// globals a state file names (tensors, storages, OrderedDict). FileFormatError otherwise.
#pragma once
#include <cstddef>
#include <cstdint>

namespace robustlab {

void check_pickle(const uint8_t* bytes, size_t size);

}  // namespace robustlab
