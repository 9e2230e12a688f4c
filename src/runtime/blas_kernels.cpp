#include "runtime/blas_kernels.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <set>

namespace robustlab {
namespace {

template <typename Fn>
Fn blas_symbol(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, name));
}

bool cpu_has_avx512() {
  // OpenBLAS's SkylakeX kernels use AVX-512 F, BW, DQ and VL; GCC's probe also checks that the
  // OS saves the ZMM registers, so a "yes" here means the instructions will not trap.
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
}

bool cpu_has_avx2_fma() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

// Kernel families that use at most SSE/AVX1: what OpenBLAS falls back to on CPUs it does not know.
bool is_legacy_core(const std::string& core) {
  static const std::set<std::string> legacy = {"Prescott", "Core2", "Penryn", "Dunnington",
                                               "Nehalem", "Atom", "Sandybridge", "Bulldozer",
                                               "Piledriver", "Steamroller", "Excavator", "Barcelona"};
  return legacy.count(core) > 0;
}

}  // namespace

std::string blas_core_name() {
  auto corename = blas_symbol<char* (*)()>("openblas_get_corename");
  if (!corename) return "not OpenBLAS";
  std::string name = corename();
  // OpenBLAS reports lower-case names in some versions; compare in one spelling.
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(name[0]));
  return name;
}

std::string cpu_vector_isa() {
  if (cpu_has_avx512()) return "avx512";
  if (cpu_has_avx2_fma()) return "avx2";
  return "sse";
}

void select_blas_kernels(char** argv) {
  if (std::getenv("OPENBLAS_CORETYPE")) return;  // the user chose; respect it
  const char* tuning = std::getenv("ROBUSTLAB_BLAS_TUNING");
  if (tuning && std::strcmp(tuning, "off") == 0) return;
  if (std::getenv("ROBUSTLAB_BLAS_REEXEC")) return;  // we already tried once
  const std::string core = blas_core_name();
  if (core == "not OpenBLAS" || !is_legacy_core(core)) return;
  const std::string isa = cpu_vector_isa();
  if (isa == "sse") return;  // nothing better to offer
  const std::string best = isa == "avx512" ? "SkylakeX" : "Haswell";
  setenv("OPENBLAS_CORETYPE", best.c_str(), 1);
  setenv("ROBUSTLAB_BLAS_REEXEC", "1", 1);
  execv("/proc/self/exe", argv);
  // execv returned: carry on with the slow kernels rather than fail.
  unsetenv("OPENBLAS_CORETYPE");
}

bool set_blas_threads(int threads) {
  auto set = blas_symbol<void (*)(int)>("openblas_set_num_threads");
  if (!set) return false;
  set(threads);
  return true;
}

int blas_threads() {
  auto get = blas_symbol<int (*)()>("openblas_get_num_threads");
  return get ? get() : 1;
}

}  // namespace robustlab
