#include "runtime/onednn.h"

#include <dlfcn.h>

namespace robustlab {

std::string onednn_isa() {
  auto effective = reinterpret_cast<unsigned (*)()>(dlsym(RTLD_DEFAULT, "dnnl_get_effective_cpu_isa"));
  auto name = reinterpret_cast<const char* (*)(unsigned)>(dlsym(RTLD_DEFAULT, "dnnl_cpu_isa2str"));
  if (!effective || !name) return "not oneDNN";
  std::string isa = name(effective());
  const std::string prefix = "cpu_isa_";
  return isa.rfind(prefix, 0) == 0 ? isa.substr(prefix.size()) : isa;
}

}  // namespace robustlab
