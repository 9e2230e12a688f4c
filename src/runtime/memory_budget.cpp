#include "runtime/memory_budget.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "runtime/user_error.h"

namespace robustlab {

double available_memory_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  double kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib * 1024;
  return static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGE_SIZE));
}

std::string format_bytes(double bytes) {
  const char* units[] = {"bytes", "kB", "MB", "GB", "TB", "PB"};
  int u = 0;
  while (bytes >= 1000 && u < 5) {
    bytes /= 1000;
    ++u;
  }
  char text[64];
  std::snprintf(text, sizeof text, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  std::string out = text;
  if (bytes >= 1000) out = "more than " + out;  // beyond petabytes
  return out;
}

void require_memory(const std::string& what, double bytes) {
  const double available = available_memory_bytes();
  if (!(bytes <= available))
    throw UserError(what + " needs " + format_bytes(bytes) + " of memory; this machine has " + format_bytes(available) +
                    " available");
}

}  // namespace robustlab
