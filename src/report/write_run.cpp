#include "report/write_run.h"

#include <iostream>

#include "report/markdown.h"
#include "report/plots.h"
#include "report/results_json.h"
#include "report/run_directory.h"
#include "report/tables.h"

namespace robustlab {

void write_run(const std::string& dir, bool replace, const StudyResult& result, const Config& config,
               const RuntimeEnvironment& env, double seconds) {
  StagedDirectory out(dir, replace);
  out.write("config.toml", "study = \"" + result.study + "\"\n" + config.to_toml());
  out.write("results.json", results_json(result, env, seconds).dump(2) + "\n");
  out.write("robust_accuracy.csv", robust_accuracy_csv(result.robust_accuracy));
  for (const auto& c : result.cosines) out.write("cosine_" + c.model + ".csv", cosine_csv(c));
  for (const auto& m : result.saved_models) save_state_file(out.path(m.file), m.contents);
  const bool plots = gnuplot_available();
  if (plots) {
    plot_robust_accuracy(result, out.path("robust_accuracy"));
    for (const auto& c : result.cosines) plot_cosine_heatmap(c, out.path("cosine_" + c.model));
  } else {
    std::cerr << "robustlab: warning: gnuplot not found, the report has no plots\n";
  }
  out.write("report.md", report_markdown(result, env, seconds, plots));
  out.commit();
}

}  // namespace robustlab
