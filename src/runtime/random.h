// All randomness in robustlab flows from explicit CPU generators seeded from the run's seed, so
// that the same config and seed give the same numbers, and CPU and CUDA runs see the same data
// and initial weights (random tensors are drawn on CPU, then moved).
#pragma once
#include <ATen/core/Generator.h>
#include <cstdint>

namespace robustlab {

at::Generator make_generator(uint64_t seed);

// An independent stream for a named purpose ("data", "init/binary", "attack"), so that changing
// one part of a study (say, the attack) does not shift the random numbers of the others.
at::Generator make_generator(uint64_t seed, const char* stream);

}  // namespace robustlab
