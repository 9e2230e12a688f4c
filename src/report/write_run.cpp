#include "report/write_run.h"

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "models/state_file.h"
#include "report/csv.h"
#include "report/markdown.h"
#include "report/plots.h"
#include "report/results_json.h"
#include "report/run_directory.h"
#include "runtime/user_error.h"

namespace robustlab {
namespace {

// Every file of one run into `sub` ("" or "seed-S/") of the staged directory.
void write_files(const StagedDirectory& out, const std::string& sub, const RunRecord& run, const RuntimeEnvironment& env,
                 double seconds, bool plots) {
  const StudyResult& result = run.result;
  if (!sub.empty()) std::filesystem::create_directories(out.path(sub));
  out.write(sub + "config.toml", "study = \"" + result.study + "\"\n" + run.config_toml);
  out.write(sub + "results.json", results_json(result, env, seconds).dump(2) + "\n");
  for (const auto& t : result.tables) out.write(sub + t.name + ".csv", table_csv(t));
  for (const auto& m : result.saved_models) save_state_file(out.path(sub + m.file), m.contents);
  FiguresDrawn figures;
  if (plots)
    for (const auto& f : result.figures) {
      const Table* table = result.find_table(f.table);
      try {
        if (!table) throw UserError("no table " + f.table);
        draw_figure(f, *table, out.path(sub + f.name));
        figures.drawn.push_back(f.name);
      } catch (const UserError& e) {
        std::cerr << "robustlab: warning: figure " << f.name << " not drawn: " << e.what() << "\n";
        figures.failed.push_back(f.name + ": " + e.what());
      }
    }
  out.write(sub + "report.md", report_markdown(result, env, seconds, plots ? &figures : nullptr));
}

}  // namespace

void write_run(StagedDirectory& out, const RunRecord& combined, const std::vector<RunRecord>& per_seed,
               const RuntimeEnvironment& env, double seconds) {
  const bool plots = gnuplot_available();
  if (!plots) std::cerr << "robustlab: warning: gnuplot not found, the report has no plots\n";
  write_files(out, "", combined, env, seconds, plots);
  if (per_seed.size() > 1)
    for (const auto& run : per_seed) write_files(out, "seed-" + std::to_string(run.result.seed) + "/", run, env, seconds, plots);
  out.commit();
}

}  // namespace robustlab
