#include "cli/commands.h"

#include <CLI/CLI.hpp>
#include <cstdint>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "attacks/attack.h"
#include "cli/attack_command.h"
#include "cli/common_options.h"
#include "cli/sweep_command.h"
#include "cli/train_command.h"
#include "config/config.h"
#include "data/registry.h"
#include "experiment/seeds.h"
#include "models/registry.h"
#include "probes/registry.h"
#include "report/write_run.h"
#include "runtime/environment.h"
#include "runtime/input_file.h"
#include "runtime/threads.h"
#include "runtime/user_error.h"
#include "studies/registry.h"

namespace robustlab {
namespace {

struct RunOptions {
  std::string target;  // a study name or a config file
  std::string out;
  std::vector<std::string> sets;
  std::optional<int64_t> seed, seeds;
  bool force = false;
  RuntimeFlags runtime;
};

void print_summary(const StudyResult& r, const std::string& dir, double seconds) {
  std::cout << std::fixed << std::setprecision(3);
  std::cout << r.study << " (" << (r.seeds.empty() ? "seed " + std::to_string(r.seed) : std::to_string(r.seeds.size()) + " seeds from " + std::to_string(r.seed))
            << ") finished in " << std::setprecision(1) << seconds << " s\n";
  for (const auto& m : r.models) {
    std::cout << "  " << std::left << std::setw(12) << m.name << " clean accuracy " << std::setprecision(3)
              << m.clean_accuracy << ", critical radius (" << r.norm << ") ";
    if (m.critical_radius) std::cout << std::defaultfloat << std::setprecision(4) << *m.critical_radius << std::fixed;
    else std::cout << "not reached";
    std::cout << "\n";
  }
  if (!r.scales.empty()) {
    std::cout << "  theory's scales:";
    for (const auto& [name, v] : r.scales) std::cout << " " << name << " = " << std::setprecision(1) << v;
    std::cout << "\n";
  }
  for (const auto& c : r.claims)
    std::cout << "  [" << (c.pass ? "PASS" : "FAIL") << "] " << c.name << ": " << c.measured << "\n";
  for (const auto& w : r.warnings) std::cout << "  warning: " << w.text << "\n";
  std::cout << "report: " << dir << "/report.md\n";
}

int run_study(const RunOptions& o, bool verify) {
  const bool is_file = o.target.size() > 5 && o.target.substr(o.target.size() - 5) == ".toml";
  if (is_file) require_regular_file(o.target, "config file");
  const Study& study = find_study(is_file ? study_named_in(o.target) : o.target);
  const std::string file = is_file ? o.target : "";
  std::vector<std::string> sets = o.sets;
  if (o.seed) sets.push_back("seed=" + std::to_string(*o.seed));
  if (o.seeds) sets.push_back("seeds=" + std::to_string(*o.seeds));
  if (o.runtime.threads > 0) sets.push_back("threads=" + std::to_string(o.runtime.threads));
  const Schema schema = study.schema();
  const Config asked = Config::resolve(schema, file, sets);
  const RunKeys keys = read_options(asked, RunKeys{});
  // The config written out records the thread count used (runtime/threads.h).
  RuntimeFlags runtime = o.runtime;
  runtime.threads = resolve_threads(static_cast<int>(keys.threads), study.prepare(asked).workload);
  sets.push_back("threads=" + std::to_string(runtime.threads));
  const Config config = Config::resolve(schema, file, sets);
  const PreparedRun prepared = study.prepare(config);  // a config that cannot run fails here, before any work

  RuntimeEnvironment env;
  const RunContext ctx = start_runtime(runtime, prepared.workload, &env);
  // Each seed's run is an ordinary run with its own resolved config.
  auto config_of = [&](uint64_t seed) {
    std::vector<std::string> one = sets;
    one.push_back("seed=" + std::to_string(seed));
    one.push_back("seeds=1");
    return Config::resolve(schema, file, one).to_toml();
  };

  const std::string dir = o.out.empty() ? default_out_dir(study.name) : o.out;
  StagedDirectory out(dir, o.force, input_paths(config, file));  // refused here, before any work
  const auto start = std::chrono::steady_clock::now();
  const std::vector<StudyResult> per_seed =
      run_seeds(prepared, ctx, static_cast<uint64_t>(keys.seed), keys.seeds, config_of);
  const StudyResult result = combine_seeds(per_seed);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<RunRecord> seed_runs;
  for (const auto& r : per_seed) seed_runs.push_back({config_of(r.seed), r});
  write_run(out, {config.to_toml(), result}, seed_runs, env, seconds);
  if (!o.runtime.quiet) print_summary(result, dir, seconds);
  if (verify && !result.all_claims_pass()) {
    std::cerr << "robustlab: verify " << study.name << ": some claims do not hold"
              << (result.seeds.empty() ? "" : " on every seed") << " (see " << dir << "/report.md)\n";
    return 1;
  }
  return 0;
}

void list_everything() {
  size_t width = 0;
  for (const auto& s : all_studies()) width = std::max(width, s.name.size());
  for (const auto& d : all_datasets()) width = std::max(width, d.name.size());
  for (const auto& m : all_models()) width = std::max(width, m.name.size());
  for (const auto& a : all_attacks()) width = std::max(width, a.name.size());
  for (const auto& p : all_probes()) width = std::max(width, p.name.size());
  auto row = [&](const std::string& kind, const std::string& name, const std::string& what) {
    std::cout << std::left << std::setw(9) << kind << std::setw(static_cast<int>(width + 2)) << name << what << "\n";
  };
  for (const auto& s : all_studies()) row("study", s.name, s.summary);
  for (const auto& d : all_datasets()) row("dataset", d.name, d.summary);
  for (const auto& m : all_models()) row("model", m.name, m.summary);
  for (const auto& a : all_attacks()) row("attack", a.name, std::string("[") + norm_name(a.norm) + "] " + a.summary);
  for (const auto& p : all_probes()) row("probe", p.name, p.summary);
}

void add_run_options(CLI::App* cmd, RunOptions& o) {
  cmd->add_option("study", o.target, "study name, or a config .toml written by a run")->required();
  cmd->add_option("--out", o.out, "output directory (default runs/STUDY-<timestamp>)");
  cmd->add_option("--set", o.sets, "override a config key: --set data.k=20 (repeatable)");
  cmd->add_option("--seed", o.seed, "seed (same as --set seed=N)")->check(whole_number(0, INT64_MAX));
  cmd->add_option("--seeds", o.seeds, "run N seeds from --seed on and report mean and spread (same as --set seeds=N)")
      ->check(whole_number(1, 1000));
  cmd->add_flag("--force", o.force, "replace the output directory if it exists");
  add_runtime_flags(cmd, o.runtime);
}

// Every error ends the same way: one line on stderr, exit code 2.
int report_error(const std::string& message) {
  std::string line = message.substr(0, message.find('\n'));
  std::cerr << "robustlab: " << line << "\n";
  return 2;
}

}  // namespace

int cli_main(int argc, char** argv) {
  CLI::App app{"robustlab: executable claims of feature-learning and adversarial-robustness theory"};
  app.set_version_flag("--version", ROBUSTLAB_VERSION);
  app.require_subcommand(1);
  RunOptions run_options, verify_options;
  CLI::App* run = app.add_subcommand("run", "run a study and write its report");
  add_run_options(run, run_options);
  CLI::App* verify = app.add_subcommand("verify", "run a study and check its claims (exit 1 if one fails)");
  add_run_options(verify, verify_options);
  TrainCommandOptions train_options;
  CLI::App* train = nullptr;
  add_train_command(app, train_options, train);
  AttackCommandOptions attack_options;
  CLI::App* attack = nullptr;
  add_attack_command(app, attack_options, attack);
  SweepCommandOptions sweep_options;
  CLI::App* sweep = nullptr;
  add_sweep_command(app, sweep_options, sweep);
  CLI::App* list = app.add_subcommand("list", "studies, datasets, models, attacks and probes");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    return report_error(e.what());
  }
  try {
    if (*run) return run_study(run_options, false);
    if (*verify) return run_study(verify_options, true);
    if (*train) return run_train_command(train_options);
    if (*attack) return run_attack_command(attack_options);
    if (*sweep) return run_sweep_command(sweep_options);
    if (*list) list_everything();
    return 0;
  } catch (const UserError& e) {
    return report_error(e.what());
  } catch (const std::bad_alloc&) {
    return report_error("out of memory: this run needs more memory than the machine can give "
                        "(smaller sizes in the config need less)");
  } catch (const c10::Error& e) {
    return report_error(e.what_without_backtrace());
  } catch (const std::exception& e) {  // filesystem errors name their paths
    return report_error(e.what());
  }
}

}  // namespace robustlab
