#include "experiment/seeds.h"

#include <cmath>
#include <map>
#include <stdexcept>

namespace robustlab {
namespace {

struct Spread {
  double mean = 0, sd = 0, min = 0, max = 0;
};

// Mean, sample standard deviation (0 for one value), minimum and maximum.
Spread spread_of(const std::vector<double>& values) {
  Spread s;
  if (values.empty()) return s;
  s.min = s.max = values[0];
  for (double v : values) {
    s.mean += v;
    s.min = std::min(s.min, v);
    s.max = std::max(s.max, v);
  }
  s.mean /= static_cast<double>(values.size());
  if (values.size() > 1) {
    double ss = 0;
    for (double v : values) ss += (v - s.mean) * (v - s.mean);
    s.sd = std::sqrt(ss / static_cast<double>(values.size() - 1));
  }
  return s;
}

ModelSummary combine_models(const std::vector<StudyResult>& runs, const std::string& name) {
  ModelSummary out{name, 0, std::nullopt, {}};
  std::vector<double> clean, radius;
  std::vector<std::pair<std::string, std::vector<double>>> metrics;
  for (const auto& r : runs)
    for (const auto& m : r.models) {
      if (m.name != name) continue;
      clean.push_back(m.clean_accuracy);
      if (m.critical_radius) radius.push_back(*m.critical_radius);
      for (const auto& [key, v] : m.metrics) {
        auto it = std::find_if(metrics.begin(), metrics.end(), [&](const auto& e) { return e.first == key; });
        if (it == metrics.end()) metrics.push_back({key, {v}});
        else it->second.push_back(v);
      }
    }
  const Spread c = spread_of(clean);
  out.clean_accuracy = c.mean;
  out.metrics.push_back({"clean_accuracy_sd", c.sd});
  // A radius not reached on some seed's grid has no mean: it is reported as not reached.
  if (!radius.empty() && radius.size() == clean.size()) {
    const Spread r = spread_of(radius);
    out.critical_radius = r.mean;
    out.metrics.push_back({"critical_radius_sd", r.sd});
  }
  for (const auto& [key, values] : metrics) {
    const Spread s = spread_of(values);
    out.metrics.push_back({key, s.mean});
    out.metrics.push_back({key + "_sd", s.sd});
  }
  return out;
}

Claim combine_claim(const std::vector<StudyResult>& runs, size_t index) {
  Claim out = runs[0].claims[index];
  out.seeds.clear();
  int held = 0;
  for (const auto& r : runs) {
    const Claim& c = r.claims.at(index);
    out.seeds.push_back({r.seed, c.measured, c.pass});
    held += c.pass;
  }
  out.pass = held == static_cast<int>(runs.size());
  out.measured = "holds on " + std::to_string(held) + "/" + std::to_string(runs.size()) + " seeds";
  for (const auto& s : out.seeds)
    if (!s.pass) {
      out.measured += "; seed " + std::to_string(s.seed) + ": " + s.measured;
      break;
    }
  return out;
}

}  // namespace

std::vector<StudyResult> run_seeds(const PreparedRun& run, RunContext context, uint64_t first_seed, int64_t count,
                                   const std::function<std::string(uint64_t seed)>& config_of) {
  std::vector<StudyResult> results;
  for (int64_t i = 0; i < count; ++i) {
    context.seed = first_seed + static_cast<uint64_t>(i);
    context.config_toml = config_of(context.seed);
    results.push_back(run.run(context));
  }
  return results;
}

Table combine_tables(const std::vector<const Table*>& per_seed) {
  const Table& first = *per_seed.at(0);
  std::vector<Column> columns;
  std::vector<size_t> keys, values;
  for (size_t i = 0; i < first.columns.size(); ++i) {
    const Column& c = first.columns[i];
    if (c.role == ColumnRole::Seed) continue;
    if (c.role == ColumnRole::Key) {
      keys.push_back(i);
      columns.push_back(c);
    } else {
      values.push_back(i);
      for (const char* suffix : {"", "_sd", "_min", "_max"}) columns.push_back(value(c.name + suffix));
    }
  }
  // Rows with equal key cells, in order of first appearance, and each value's samples.
  std::vector<std::vector<Cell>> row_keys;
  std::vector<std::vector<std::vector<double>>> samples;
  for (const Table* t : per_seed)
    for (const auto& row : t->rows) {
      std::vector<Cell> key;
      for (size_t k : keys) key.push_back(row[k]);
      auto it = std::find(row_keys.begin(), row_keys.end(), key);
      size_t at = static_cast<size_t>(it - row_keys.begin());
      if (it == row_keys.end()) {
        row_keys.push_back(key);
        samples.emplace_back(values.size());
      }
      for (size_t v = 0; v < values.size(); ++v) {
        const Cell& cell = row[values[v]];
        samples[at][v].push_back(std::holds_alternative<int64_t>(cell) ? static_cast<double>(std::get<int64_t>(cell))
                                                                       : std::get<double>(cell));
      }
    }
  Table out(first.name, columns, first.caption);
  out.in_report = first.in_report;
  out.precision = first.precision;
  for (size_t r = 0; r < row_keys.size(); ++r) {
    std::vector<Cell> row = row_keys[r];
    // Key and value columns interleave as in the original: rebuild in column order.
    std::vector<Cell> ordered;
    size_t next_key = 0, next_value = 0;
    for (size_t i = 0; i < first.columns.size(); ++i) {
      const ColumnRole role = first.columns[i].role;
      if (role == ColumnRole::Seed) continue;
      if (role == ColumnRole::Key) {
        ordered.push_back(row[next_key++]);
      } else {
        const Spread s = spread_of(samples[r][next_value++]);
        ordered.insert(ordered.end(), {s.mean, s.sd, s.min, s.max});
      }
    }
    out.add(ordered);
  }
  return out;
}

StudyResult combine_seeds(const std::vector<StudyResult>& runs) {
  if (runs.empty()) throw std::logic_error("combine_seeds: no results");
  if (runs.size() == 1) return runs[0];
  const StudyResult& first = runs[0];
  StudyResult out;
  out.study = first.study;
  out.seed = first.seed;
  for (const auto& r : runs) out.seeds.push_back(r.seed);
  out.explanation = first.explanation;
  out.norm = first.norm;
  out.scales = first.scales;
  out.figures = first.figures;
  for (const auto& m : first.models) out.models.push_back(combine_models(runs, m.name));
  for (size_t i = 0; i < first.claims.size(); ++i) out.claims.push_back(combine_claim(runs, i));
  for (const auto& t : first.tables) {
    std::vector<const Table*> tables;
    for (const auto& r : runs)
      if (const Table* same = r.find_table(t.name)) tables.push_back(same);
    out.tables.push_back(combine_tables(tables));
  }
  for (const auto& r : runs)
    for (const auto& w : r.warnings)
      out.warnings.push_back({w.model, w.kind, "seed " + std::to_string(r.seed) + ": " + w.text});
  return out;
}

}  // namespace robustlab
