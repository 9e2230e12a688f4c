#include "cli/sweep_command.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>

#include "report/write_run.h"
#include "runtime/environment.h"
#include "runtime/output_directory.h"
#include "runtime/progress.h"
#include "runtime/threads.h"
#include "runtime/user_error.h"
#include "sweep/cell_process.h"
#include "sweep/local_runner.h"
#include "sweep/slurm.h"
#include "sweep/store.h"
#include "sweep/sweep_report.h"

namespace robustlab {
namespace {

struct LoadedSweep {
  SweepLayout layout;
  SweepSpec spec;
  std::vector<SweepCell> cells;
};

LoadedSweep load_sweep_dir(const std::string& dir) {
  LoadedSweep s{SweepLayout{dir}, {}, {}};
  s.spec = read_sweep_in(s.layout);
  s.cells = expand_cells(s.spec);
  return s;
}

SlurmSettings slurm_settings(const SweepCommandOptions& o, SlurmSettings s) {
  if (o.cpus_per_task) s.cpus_per_task = *o.cpus_per_task;
  if (o.time) s.time = *o.time;
  if (o.mem) s.mem = *o.mem;
  if (o.partition) s.partition = *o.partition;
  if (o.account) s.account = *o.account;
  return s;
}

int start_sweep(const SweepCommandOptions& o) {
  if (o.file.empty()) throw UserError("sweep: give a sweep file, or status/report DIR");
  const std::string text = read_sweep_text(o.file);
  const SweepSpec spec = parse_sweep(text, o.file);
  const std::vector<SweepCell> cells = expand_cells(spec);
  validate_sweep(spec, cells, o.file);  // every bad input is refused here, before any cell runs
  const int threads = o.slurm ? 0 : threads_per_cell(o.jobs, o.runtime.threads, available_cores());
  const SweepLayout layout{o.out.empty() ? "runs/" + std::filesystem::path(o.file).stem().string() : o.out};
  check_output_path(layout.root, {o.file}, "--out");
  claim_sweep_dir(layout, text);
  WriterLock lock(layout.lock(), "sweep " + layout.root);
  SweepStore store(layout.store());
  store.refresh(layout, cells);

  if (o.slurm) {
    std::vector<SweepCell> pending;
    for (const auto& cell : cells) {
      const CellStatus s = cell_status(layout, cell);
      if (s == CellStatus::Pending || s == CellStatus::Failed) pending.push_back(cell);
    }
    if (pending.empty()) {
      std::cout << "sweep " << layout.root << ": no cell left to submit\n";
      return 0;
    }
    const std::string job = submit_array(layout, slurm_settings(o, spec.slurm), pending);
    std::cout << "submitted job array " << job << ": " << pending.size() << " cells of " << layout.root
              << " (robustlab sweep status " << layout.root << ")\n";
    return 0;
  }
  Progress::set_enabled(!o.runtime.quiet);
  const LocalRunCounts counts = run_cells_locally(spec, cells, layout, store, o.jobs, threads);
  if (!o.runtime.quiet)
    std::cout << "sweep " << layout.root << ": " << counts.ran - counts.failed << " cells run, " << counts.failed
              << " failed, " << counts.skipped_done << " done before\n";
  if (counts.failed > 0) {
    std::cerr << "robustlab: sweep: " << counts.failed << " cells failed (robustlab sweep status " << layout.root << ")\n";
    return 1;
  }
  return 0;
}

int print_status(const std::string& dir) {
  const LoadedSweep s = load_sweep_dir(dir);
  SweepStore store(s.layout.store());
  store.refresh(s.layout, s.cells);
  std::map<CellStatus, int> count;
  std::vector<std::pair<std::string, std::string>> failures;
  double done_seconds = 0;
  for (const auto& cell : s.cells) {
    const CellStatus st = cell_status(s.layout, cell);
    ++count[st];
    const auto attempt = read_attempt(s.layout.attempt(cell));
    if (st == CellStatus::Failed) failures.emplace_back(cell.id, attempt ? attempt->error : "");
    if (st == CellStatus::Done && attempt) done_seconds += attempt->wall_seconds;
  }
  const int left = count[CellStatus::Pending] + count[CellStatus::Running];
  std::cout << dir << ": " << s.cells.size() << " cells: " << count[CellStatus::Done] << " done, "
            << count[CellStatus::Running] << " running, " << count[CellStatus::Failed] << " failed, " << left << " left";
  // ETA: the cells left at the mean time of a finished cell, as many at once as are running now.
  if (left > 0 && count[CellStatus::Done] > 0)
    std::cout << "; ETA " << std::fixed << std::setprecision(0)
              << done_seconds / count[CellStatus::Done] * left / std::max(1, count[CellStatus::Running]) << " s";
  std::cout << "\n";
  for (const auto& [id, error] : failures) std::cout << "  failed " << id << ": " << error << "\n";
  return 0;
}

int write_sweep_report(const std::string& dir, const std::string& metric) {
  const auto start = std::chrono::steady_clock::now();
  const LoadedSweep s = load_sweep_dir(dir);
  SweepStore store(s.layout.store());
  store.refresh(s.layout, s.cells);
  const StudyResult result = sweep_result(s.spec, store, metric);
  StagedDirectory out(s.layout.report_dir(), true, {});
  // config.toml of the report names the sweep it summarises (its own "study" line comes first).
  std::string config = "# the sweep: " + s.layout.sweep_file() + "\n[sweep]\ncells = " + std::to_string(s.cells.size()) + "\n";
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  write_run(out, {config, result}, {}, describe_runtime(c10::Device(c10::kCPU)), seconds);
  std::cout << "report: " << s.layout.report_dir() << "/report.md\n";
  return 0;
}

int run_one_cell(const SweepCommandOptions& o) {
  const LoadedSweep s = load_sweep_dir(o.dir);
  for (const auto& cell : s.cells) {
    if (cell.id != o.cell) continue;
    if (cell_is_done(s.layout, cell)) return 0;
    const CellAttempt attempt = run_cell(s.spec, cell, s.layout, std::max(1, o.runtime.threads));
    if (attempt.state == "done") return 0;
    std::cerr << "robustlab: cell " << cell.id << " failed: " << attempt.error << "\n";
    return 1;
  }
  throw UserError("sweep " + o.dir + " has no cell " + o.cell);
}

}  // namespace

void add_sweep_command(CLI::App& app, SweepCommandOptions& o, CLI::App*& cmd) {
  cmd = app.add_subcommand("sweep", "run a grid of runs over config values and seeds (see also: status, report)");
  cmd->add_option("file", o.file, "sweep file (.toml): study, seeds, [set], [axes], [slurm]");
  cmd->add_option("--out", o.out, "sweep directory (default runs/<file name>); running again resumes it");
  cmd->add_option("--jobs", o.jobs, "cells run at once, each its own process")->check(whole_number(1, 1024));
  cmd->add_flag("--slurm", o.slurm, "submit the cells not done as a Slurm job array instead");
  cmd->add_option("--cpus-per-task", o.cpus_per_task, "Slurm: cores (and threads) per cell")->check(whole_number(1, 4096));
  cmd->add_option("--time", o.time, "Slurm: time limit per cell (e.g. 00:30:00)");
  cmd->add_option("--mem", o.mem, "Slurm: memory per cell (e.g. 4G)");
  cmd->add_option("--partition", o.partition, "Slurm: partition");
  cmd->add_option("--account", o.account, "Slurm: account");
  cmd->add_option("--threads", o.runtime.threads, "threads per cell (default: cores / --jobs)")
      ->check(whole_number(0, static_cast<int64_t>(kMaxThreads)));
  cmd->add_flag("-q,--quiet", o.runtime.quiet, "no progress line and no summary");
  o.status = cmd->add_subcommand("status", "cells done, running, failed and left, with ETA");
  o.status->add_option("dir", o.dir, "sweep directory")->required();
  o.report = cmd->add_subcommand("report", "tables, figures and report.md across the grid, in DIR/report");
  o.report->add_option("dir", o.dir, "sweep directory")->required();
  o.report->add_option("--metric", o.metric, "only figures of metrics whose name (MODEL.METRIC) contains this");
  o.run_cell = cmd->add_subcommand("cell", "run one cell of a sweep directory (what a Slurm array task runs)");
  o.run_cell->add_option("dir", o.dir, "sweep directory")->required();
  o.run_cell->add_option("id", o.cell, "cell id (its directory name under DIR/cells)")->required();
  o.run_cell->add_option("--threads", o.runtime.threads, "threads")->check(whole_number(1, static_cast<int64_t>(kMaxThreads)));
}

int run_sweep_command(const SweepCommandOptions& o) {
  if (*o.status) return print_status(o.dir);
  if (*o.report) return write_sweep_report(o.dir, o.metric);
  if (*o.run_cell) return run_one_cell(o);
  return start_sweep(o);
}

}  // namespace robustlab
