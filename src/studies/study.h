// A study is one claim of one paper made executable: a config schema with the paper's values as
// defaults, a run that builds data, trains, attacks and probes, and the claims it checks.
// Studies are listed in all_studies(); adding one is a new file plus one line there.
#pragma once
#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "probes/robust_accuracy.h"
#include "runtime/threads.h"
#include "train/state_file.h"

namespace robustlab {

// printf-style text for claims and warnings: claim_text("cos %.3f", x).
std::string claim_text(const char* format, double a, double b = 0, double c = 0);

// prefix + first, prefix + (first+1), ...: names of hidden units ("w+1", "unit0").
std::vector<std::string> numbered(const std::string& prefix, int64_t count, int64_t first = 0);

struct Claim {
  std::string name;
  std::string expected;
  std::string measured;
  bool pass = false;
};

struct ModelSummary {
  std::string name;
  double clean_accuracy = 0;
  std::optional<double> critical_radius;               // on the study's main norm
  std::vector<std::pair<std::string, double>> metrics;  // anything else worth a number
};

struct CosineMatrix {
  std::string model;
  at::Tensor values;  // [units, features], float64 on CPU
  std::vector<std::string> unit_names, feature_names;
};

// A trained model the run saves beside its results, as FILE (e.g. binary.pt).
struct SavedModel {
  std::string file;
  StateFile contents;
};

struct StudyResult {
  std::string study;
  uint64_t seed = 0;
  std::string norm;  // the norm of the study's main threat model ("l2", "linf")
  std::vector<ModelSummary> models;
  std::vector<Claim> claims;
  std::vector<RobustAccuracyPoint> robust_accuracy;
  std::vector<CosineMatrix> cosines;
  std::vector<std::pair<std::string, double>> reference_scales;  // theory's scales for ε
  std::string explanation;  // Markdown: the claim and how the study checks it
  std::vector<std::string> warnings;  // signs that a number may be optimistic
  std::vector<SavedModel> saved_models;

  bool all_claims_pass() const;
};

struct RunContext {
  c10::Device device = c10::Device("cpu");
};

struct Study {
  std::string name;
  std::string summary;  // one line for `robustlab list`
  Workload workload;    // how to split the cores (runtime/threads.h)
  Schema (*schema)();
  StudyResult (*run)(const Config& config, const RunContext& context);
};

const std::vector<Study>& all_studies();
const Study& find_study(const std::string& name);  // UserError when unknown

// The keys every study has: study seed. Studies extend it.
Schema base_schema();

}  // namespace robustlab
