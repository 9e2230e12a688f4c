// A study is one claim of one paper made executable. Its file (src/studies/) declares an options
// struct with the paper's values as defaults, a run that builds data, trains, evaluates and
// probes, and the claims it checks; make_study turns that into the entry `robustlab` runs:
//
//     struct MyStudy {
//       ... members with fields(Fields&) ...
//       static MyStudy paper();            // the paper's setting
//       void check() const;                // UserError for a config that cannot run (before any work)
//       Workload workload() const;         // how to split the cores for it
//     };
//     StudyResult run(const MyStudy& options, const RunContext& context);
//     Study my_study() { return make_study<MyStudy>("my-study", "one line", run); }
#pragma once
#include <functional>
#include <string>

#include "config/config.h"
#include "config/fields.h"
#include "experiment/result.h"
#include "experiment/run_context.h"
#include "runtime/threads.h"

namespace robustlab {

// The keys every config has besides the study's own.
struct RunKeys {
  int64_t seed = 0;
  int64_t seeds = 1;
  int64_t threads = 0;
  void fields(Fields& f) {
    f.field("seed", seed, "seed of every random draw in the run", {0});
    f.field("seeds", seeds, "run seeds seed .. seed+seeds-1 and report mean and spread", {1, 1000});
    f.field("threads", threads, kThreadsHelp, {0, kMaxThreads});
  }
};

// A config read and checked, ready to run.
struct PreparedRun {
  Workload workload = Workload::Elementwise;
  std::function<StudyResult(const RunContext&)> run;
};

struct Study {
  std::string name;
  std::string summary;  // one line for `robustlab list`
  std::function<Schema()> schema;                      // RunKeys and the study's keys, paper defaults
  std::function<PreparedRun(const Config&)> prepare;   // UserError for a config that cannot run
};

template <typename Options>
Study make_study(std::string name, std::string summary, StudyResult (*run)(const Options&, const RunContext&)) {
  Study study;
  study.name = std::move(name);
  study.summary = std::move(summary);
  study.schema = [] { return schema_of(Options::paper(), schema_of(RunKeys{})); };
  study.prepare = [run](const Config& config) {
    const Options options = read_options(config, Options::paper());
    options.check();
    return PreparedRun{options.workload(), [options, run](const RunContext& context) { return run(options, context); }};
  };
  return study;
}

}  // namespace robustlab
