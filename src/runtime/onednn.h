// oneDNN, behind LibTorch's CPU convolutions, picks its kernels from the widest instruction set the
// CPU has, unless ONEDNN_MAX_CPU_ISA (DNNL_MAX_CPU_ISA in older releases) caps it. Which one it
// uses decides how its sums round, so a run records it.
#pragma once
#include <string>

namespace robustlab {

// The instruction set oneDNN's kernels use ("avx512_core_amx", "avx2", "sse41", ...), or
// "not oneDNN" when this LibTorch has none. Asking fixes it for the process: call it after any
// change to the environment, as describe_runtime does.
std::string onednn_isa();

}  // namespace robustlab
