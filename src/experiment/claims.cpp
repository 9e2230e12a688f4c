#include "experiment/claims.h"

#include <cstdio>

namespace robustlab {

std::string claim_text(const char* format, double a, double b, double c) {
  char buf[512];
  std::snprintf(buf, sizeof buf, format, a, b, c);
  return buf;
}

}  // namespace robustlab
