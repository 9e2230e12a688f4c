// A sweep file: one study, fixed overrides, axes and seeds, whose product is the sweep's cells.
//
//     study = "feature-averaging"
//     seeds = [0, 1, 2]                 # or a count (3 = seeds 0, 1, 2) or "0:2:1"
//     [set]                             # fixed overrides, as --set
//     data.d = 512
//     [axes]                            # every combination of these values
//     binary.width = [2, 4, 8]          # a list, or a "start:stop:step" range
//     [slurm]                           # defaults of the --slurm options
//     cpus_per_task = 1
//     time = "00:30:00"
//
// Values keep their TOML form: each becomes `--set key=<value>` of a cell's `robustlab run`.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace robustlab {

struct SweepAxis {
  std::string key;
  std::vector<std::string> values;  // TOML text of each value ("4", "0.5", "\"pgd\"", "[1, 2]")
};

// Defaults of the --slurm options; empty means Slurm's own default.
struct SlurmSettings {
  int64_t cpus_per_task = 1;
  std::string time, mem, partition, account;
};

struct SweepSpec {
  std::string study;
  std::vector<std::string> sets;  // "key=<toml value>", in the file's order
  std::vector<SweepAxis> axes;    // in the file's order; the first varies slowest
  std::vector<int64_t> seeds;
  SlurmSettings slurm;
};

// One run of the grid: its axis values and seed, and a directory name made of them.
struct SweepCell {
  std::string id;  // "binary.width=4,seed=1": deterministic, a file name, unique in its sweep
  std::vector<std::pair<std::string, std::string>> axis_values;  // key, TOML text
  int64_t seed = 0;
};

// Parses a sweep file's text (`origin` names it in errors). UserError for anything that is not a
// sweep file: no study, unknown sections or entries, an axis without values, no seeds.
SweepSpec parse_sweep(const std::string& toml_text, const std::string& origin);
std::string read_sweep_text(const std::string& path);  // UserError when it cannot be read

// The cells in a fixed order: axes nested as written (the first slowest), seeds innermost.
std::vector<SweepCell> expand_cells(const SweepSpec& spec);

// The `--set` assignments of one cell: the fixed ones, then its axis values (not the seed).
std::vector<std::string> cell_sets(const SweepSpec& spec, const SweepCell& cell);

// Checks every cell against the study, before any cell runs: UserError for an unknown study or
// key, a key that is both fixed and an axis (or an axis twice), a reserved key (seed, seeds,
// threads), an empty grid, or a cell the study would refuse (out of range, too large).
void validate_sweep(const SweepSpec& spec, const std::vector<SweepCell>& cells, const std::string& origin);

}  // namespace robustlab
