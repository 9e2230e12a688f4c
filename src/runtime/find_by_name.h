// Lookup in a registry (attacks, studies, ...): the entry whose .name matches, or a UserError that
// lists the names that exist.
#pragma once
#include <string>
#include <vector>

#include "runtime/user_error.h"

namespace robustlab {

template <typename Entry>
const Entry& find_by_name(const std::vector<Entry>& registry, const std::string& name,
                          const std::string& kind) {
  for (const auto& entry : registry)
    if (entry.name == name) return entry;
  std::string known;
  for (const auto& entry : registry) known += (known.empty() ? "" : ", ") + entry.name;
  throw UserError("unknown " + kind + " '" + name + "' (known: " + known + ")");
}

// The names of a registry's entries, in order (for config choices and `robustlab list`).
template <typename Entry>
std::vector<std::string> names_of(const std::vector<Entry>& registry) {
  std::vector<std::string> names;
  for (const auto& entry : registry) names.push_back(entry.name);
  return names;
}

}  // namespace robustlab
