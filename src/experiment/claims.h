// Helpers for writing a study's claims.
#pragma once
#include <string>

namespace robustlab {

// printf-style text for claims: claim_text("cos %.3f", x).
std::string claim_text(const char* format, double a, double b = 0, double c = 0);

}  // namespace robustlab
