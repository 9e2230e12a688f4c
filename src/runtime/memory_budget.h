// What a run may allocate: the memory the machine has available now. Each study (and `robustlab
// train`) estimates, from its config alone, the memory its largest tensors need and refuses a
// config that cannot fit before any work, saying how much it needs, instead of dying on an
// allocation minutes in.
#pragma once
#include <cstdint>
#include <string>

namespace robustlab {

double available_memory_bytes();  // MemAvailable of /proc/meminfo, else the physical memory
std::string format_bytes(double bytes);  // "3.2 GB"

// UserError "<what> needs 4.0 TB of memory; this machine has 21.3 GB available" when bytes do not fit.
void require_memory(const std::string& what, double bytes);

}  // namespace robustlab
