#include "runtime/random.h"

#include <ATen/CPUGeneratorImpl.h>

namespace robustlab {

at::Generator make_generator(uint64_t seed) {
  return at::make_generator<at::CPUGeneratorImpl>(seed);
}

at::Generator make_generator(uint64_t seed, const char* stream) {
  // FNV-1a of the stream name, mixed with the seed by a SplitMix64 step.
  uint64_t h = 1469598103934665603ull;
  for (const char* c = stream; *c; ++c) h = (h ^ static_cast<unsigned char>(*c)) * 1099511628211ull;
  uint64_t z = seed + 0x9e3779b97f4a7c15ull * (h | 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return make_generator(z ^ (z >> 31));
}

}  // namespace robustlab
