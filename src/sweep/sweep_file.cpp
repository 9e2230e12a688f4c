#include "sweep/sweep_file.h"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "config/config.h"
#include "runtime/user_error.h"
#include "studies/registry.h"

namespace robustlab {
namespace {

[[noreturn]] void fail(const std::string& origin, const std::string& what) { throw UserError(origin + ": " + what); }

// A whole number as an integer ("4", which an integer key accepts), anything else as the shortest
// decimal that reads back exactly.
std::string number_text(double v) {
  if (v == std::floor(v) && std::abs(v) < 9.0e15) return std::to_string(static_cast<long long>(v));
  return format_number(v);
}

std::string toml_quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A TOML value written back as TOML text, as `--set key=<text>` reads it.
std::string toml_text(const toml::node& n, const std::string& origin, const std::string& key) {
  if (auto i = n.value_exact<int64_t>()) return std::to_string(*i);
  if (auto d = n.value_exact<double>()) return format_number(*d);
  if (auto b = n.value_exact<bool>()) return *b ? "true" : "false";
  if (auto s = n.value_exact<std::string>()) return toml_quoted(*s);
  if (const toml::array* a = n.as_array()) {
    std::string out = "[";
    for (size_t i = 0; i < a->size(); ++i) out += (i ? ", " : "") + toml_text(*a->get(i), origin, key);
    return out + "]";
  }
  fail(origin, "'" + key + "' must be a number, text, boolean or list");
}

// Dotted keys ("data.d = 512" is the table data = {d = 512}) back to "data.d", with their nodes.
void flatten(const toml::table& table, const std::string& prefix,
             std::vector<std::pair<std::string, const toml::node*>>& out) {
  for (const auto& [k, node] : table) {
    const std::string key = prefix + std::string(k.str());
    if (const toml::table* sub = node.as_table()) flatten(*sub, key + ".", out);
    else out.emplace_back(key, &node);
  }
}

const toml::table& section(const toml::table& top, const char* name, const std::string& origin) {
  static const toml::table empty;
  const toml::node* n = top.get(name);
  if (!n) return empty;
  if (!n->as_table()) fail(origin, std::string("'") + name + "' must be a table ([" + name + "])");
  return *n->as_table();
}

std::vector<std::string> axis_values(const toml::node& n, const std::string& origin, const std::string& key) {
  std::vector<std::string> values;
  if (auto s = n.value_exact<std::string>()) {
    const auto range = parse_range(*s, key);
    if (!range) fail(origin, "axis '" + key + "' must be a list or a \"start:stop:step\" range, got \"" + *s + "\"");
    for (double v : *range) values.push_back(number_text(v));
  } else if (const toml::array* a = n.as_array()) {
    for (const auto& e : *a) values.push_back(toml_text(e, origin, key));
  } else {
    fail(origin, "axis '" + key + "' must be a list or a \"start:stop:step\" range");
  }
  if (values.empty()) fail(origin, "axis '" + key + "' has no values: the grid is empty");
  return values;
}

std::vector<int64_t> seed_list(const toml::node* n, const std::string& origin) {
  if (!n) fail(origin, "no 'seeds' (a list [0, 1, 2], a count 3, or a range \"0:2:1\")");
  std::vector<double> raw;
  if (auto count = n->value_exact<int64_t>()) {
    if (*count < 1 || *count > 100000) fail(origin, "'seeds' as a count must be from 1 to 100000");
    for (int64_t s = 0; s < *count; ++s) raw.push_back(static_cast<double>(s));
  } else if (auto s = n->value_exact<std::string>()) {
    const auto range = parse_range(*s, "seeds");
    if (!range) fail(origin, "'seeds' must be a list, a count or a \"start:stop:step\" range");
    raw = *range;
  } else if (const toml::array* a = n->as_array()) {
    for (const auto& e : *a) {
      auto v = e.value_exact<int64_t>();
      if (!v) fail(origin, "'seeds' must hold whole numbers");
      raw.push_back(static_cast<double>(*v));
    }
  } else {
    fail(origin, "'seeds' must be a list, a count or a \"start:stop:step\" range");
  }
  if (raw.empty()) fail(origin, "'seeds' is empty: the grid is empty");
  std::vector<int64_t> seeds;
  std::set<int64_t> seen;
  for (double v : raw) {
    if (v < 0 || v != std::floor(v)) fail(origin, "seeds must be whole numbers >= 0, got " + format_number(v));
    const auto s = static_cast<int64_t>(v);
    if (!seen.insert(s).second) fail(origin, "seed " + std::to_string(s) + " is listed twice");
    seeds.push_back(s);
  }
  return seeds;
}

SlurmSettings slurm_settings(const toml::table& t, const std::string& origin) {
  SlurmSettings s;
  for (const auto& [k, node] : t) {
    const std::string key(k.str());
    if (key == "cpus_per_task") {
      auto v = node.value_exact<int64_t>();
      if (!v || *v < 1) fail(origin, "slurm.cpus_per_task must be a whole number >= 1");
      s.cpus_per_task = *v;
      continue;
    }
    std::string* text = key == "time" ? &s.time : key == "mem" ? &s.mem : key == "partition" ? &s.partition
                      : key == "account" ? &s.account : nullptr;
    if (!text) fail(origin, "unknown key 'slurm." + key + "' (known: cpus_per_task, time, mem, partition, account)");
    auto v = node.value_exact<std::string>();
    if (!v) fail(origin, "slurm." + key + " must be text");
    *text = *v;
  }
  return s;
}

// A directory-name-safe spelling of a value: quotes dropped, anything unusual as '_'.
std::string name_part(const std::string& toml_value) {
  std::string out;
  for (char c : toml_value) {
    if (c == '"' || c == ' ') continue;
    out += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' ? c : '_';
  }
  return out;
}

}  // namespace

SweepSpec parse_sweep(const std::string& text, const std::string& origin) {
  toml::table top;
  try {
    top = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    fail(origin + ":" + std::to_string(e.source().begin.line), std::string(e.description()));
  }
  for (const auto& [k, node] : top) {
    const std::string key(k.str());
    if (key != "study" && key != "seeds" && key != "set" && key != "axes" && key != "slurm")
      fail(origin, "unknown entry '" + key + "' (a sweep file has study, seeds, [set], [axes], [slurm])");
  }
  SweepSpec spec;
  auto study = top["study"].value_exact<std::string>();
  if (!study) fail(origin, "no 'study = \"NAME\"'");
  spec.study = *study;
  spec.seeds = seed_list(top.get("seeds"), origin);
  std::vector<std::pair<std::string, const toml::node*>> entries;
  flatten(section(top, "set", origin), "", entries);
  for (const auto& [key, node] : entries) spec.sets.push_back(key + "=" + toml_text(*node, origin, key));
  entries.clear();
  flatten(section(top, "axes", origin), "", entries);
  for (const auto& [key, node] : entries) spec.axes.push_back({key, axis_values(*node, origin, key)});
  spec.slurm = slurm_settings(section(top, "slurm", origin), origin);
  return spec;
}

std::string read_sweep_text(const std::string& path) {
  (void)parse_toml_file(path);  // a missing file, a directory or a FIFO: the config file's one-line errors
  std::ostringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

std::vector<SweepCell> expand_cells(const SweepSpec& spec) {
  // An odometer over the axes, the last axis fastest; the seeds inside every combination.
  std::vector<SweepCell> cells;
  std::vector<size_t> at(spec.axes.size(), 0);
  for (;;) {
    for (int64_t seed : spec.seeds) {
      SweepCell cell;
      cell.seed = seed;
      for (size_t a = 0; a < spec.axes.size(); ++a) {
        const SweepAxis& axis = spec.axes[a];
        cell.axis_values.emplace_back(axis.key, axis.values[at[a]]);
        cell.id += axis.key + "=" + name_part(axis.values[at[a]]) + ",";
      }
      cell.id += "seed=" + std::to_string(seed);
      cells.push_back(std::move(cell));
    }
    size_t a = spec.axes.size();
    while (a > 0 && ++at[a - 1] == spec.axes[a - 1].values.size()) at[--a] = 0;
    if (a == 0) break;
  }
  return cells;
}

std::vector<std::string> cell_sets(const SweepSpec& spec, const SweepCell& cell) {
  std::vector<std::string> sets = spec.sets;
  for (const auto& [key, value] : cell.axis_values) sets.push_back(key + "=" + value);
  return sets;
}

void validate_sweep(const SweepSpec& spec, const std::vector<SweepCell>& cells, const std::string& origin) {
  const Study& study = find_study(spec.study);
  const Schema schema = study.schema();
  std::set<std::string> fixed, axes;
  auto check_key = [&](const std::string& key, const char* where) {
    if (key == "seed" || key == "seeds" || key == "threads")
      fail(origin, "'" + key + "' cannot be " + where + " (seeds are the sweep's 'seeds'; threads follow --jobs)");
    if (!schema.find(key)) fail(origin, "unknown key '" + key + "' in " + where + " (study " + spec.study + ")");
  };
  for (const auto& set : spec.sets) {
    const std::string key = set.substr(0, set.find('='));
    check_key(key, "[set]");
    fixed.insert(key);
  }
  for (const auto& axis : spec.axes) {
    check_key(axis.key, "[axes]");
    if (fixed.count(axis.key)) fail(origin, "'" + axis.key + "' is both a fixed override in [set] and an axis");
    if (!axes.insert(axis.key).second) fail(origin, "axis '" + axis.key + "' is given twice");
  }
  if (cells.empty()) fail(origin, "the grid is empty");
  std::set<std::string> ids;
  for (const auto& cell : cells) {
    if (!ids.insert(cell.id).second) fail(origin, "two cells are both named " + cell.id + " (repeated axis values?)");
    std::vector<std::string> sets = cell_sets(spec, cell);
    sets.push_back("seed=" + std::to_string(cell.seed));
    try {
      study.prepare(Config::resolve(schema, "", sets));  // what `robustlab run` would refuse
    } catch (const UserError& e) {
      fail(origin, "cell " + cell.id + ": " + e.what());
    }
  }
}

}  // namespace robustlab
