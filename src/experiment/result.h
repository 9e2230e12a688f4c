// What a study's run produces, in shapes the report renders without knowing the study: models with
// their headline numbers, claims checked, tables and figures, warnings, and trained models to save.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "experiment/figure.h"
#include "experiment/table.h"
#include "models/state_file.h"
#include "probes/warning.h"

namespace robustlab {

struct ModelSummary {
  std::string name;
  double clean_accuracy = 0;
  std::optional<double> critical_radius;                // on the study's main norm
  std::vector<std::pair<std::string, double>> metrics;  // anything else worth a number
};

// How one claim fared on one seed of a multi-seed run.
struct SeedOutcome {
  uint64_t seed = 0;
  std::string measured;
  bool pass = false;
};

struct Claim {
  std::string name;
  std::string expected;
  std::string measured;
  bool pass = false;
  std::vector<SeedOutcome> seeds = {};  // filled when combined over several seeds
};

// A trained model the run saves beside its results, as FILE (e.g. binary.pt).
struct SavedModel {
  std::string file;
  StateFile contents;
};

struct StudyResult {
  std::string study;
  uint64_t seed = 0;
  std::vector<uint64_t> seeds;  // more than one: this result combines them (experiment/seeds.h)
  std::string explanation;      // Markdown: the claim and how the study checks it
  std::string norm;             // the main threat model's norm, that critical radii are on
  std::vector<ModelSummary> models;
  std::vector<Claim> claims;
  std::vector<Table> tables;
  std::vector<Figure> figures;
  std::vector<Warning> warnings;  // signs that a number may be optimistic
  std::vector<SavedModel> saved_models;
  std::vector<std::pair<std::string, double>> scales;  // the theory's reference values, by name

  bool all_claims_pass() const;
  const Table* find_table(const std::string& name) const;
  Table& table(const std::string& name);  // std::logic_error when absent
  std::vector<Warning> warnings_of(const std::string& model) const;
};

}  // namespace robustlab
