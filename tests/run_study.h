// Running a registered study in-process, as `robustlab run` does, with --set style overrides.
#pragma once
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
