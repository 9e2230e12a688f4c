// Running a registered study in-process, as `robustlab run` does, with --set style overrides.
#pragma once
#include <cstdlib>
#include <string>
#include <vector>

#include "config/config.h"
#include "experiment/study.h"
#include "studies/registry.h"

inline robustlab::StudyResult run_study(const std::string& name, const std::vector<std::string>& sets) {
  const robustlab::Study& study = robustlab::find_study(name);
  const robustlab::Config config = robustlab::Config::resolve(study.schema(), "", sets);
  robustlab::RunContext context;
  context.seed = static_cast<uint64_t>(robustlab::read_options(config, robustlab::RunKeys{}).seed);
  return study.prepare(config).run(context);
}

// The claim whose name starts with `prefix`.
inline const robustlab::Claim& claim_named(const robustlab::StudyResult& r, const std::string& prefix) {
  for (const auto& c : r.claims)
    if (c.name.rfind(prefix, 0) == 0) return c;
  throw std::runtime_error("no claim " + prefix);
}

// How many seeds the claim tests check: 3, or ROBUSTLAB_TEST_SEEDS (the kernel-variant runs use 1).
inline int64_t test_seeds() {
  const char* n = std::getenv("ROBUSTLAB_TEST_SEEDS");
  return n ? std::max<int64_t>(std::atoll(n), 1) : 3;
}

// The study run on seeds 0 .. test_seeds() − 1, every result kept.
inline std::vector<robustlab::StudyResult> run_study_seeds(const std::string& name, const std::vector<std::string>& sets) {
  std::vector<robustlab::StudyResult> results;
  for (int64_t seed = 0; seed < test_seeds(); ++seed) {
    std::vector<std::string> with_seed = sets;
    with_seed.push_back("seed=" + std::to_string(seed));
    results.push_back(run_study(name, with_seed));
  }
  return results;
}

// Every claim of every result holds; the failures say which seed and what was measured.
inline void expect_claims_hold(const std::vector<robustlab::StudyResult>& results) {
  for (const auto& r : results)
    for (const auto& c : r.claims) EXPECT_TRUE(c.pass) << "seed " << r.seed << ": " << c.name << ": " << c.measured;
}
