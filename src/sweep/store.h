// The results store: one SQLite database per sweep (DIR/sweep.db), filled from the sweep
// directory (run directories and attempt records), never the other way round. Refilling it is
// idempotent: each cell's rows are replaced in one transaction keyed by the cell id, so a sweep
// killed at any moment loses nothing (the run directories are there) and counts nothing twice.
//
// Schema (README "Sweeps"):
//   cells(id PRIMARY KEY, seed, status, run_dir, host, started, wall_seconds, run_seconds, error)
//   axes(cell, key, value, number)                      one row per cell and axis
//   metrics(cell, model, metric, value)                 every number of results.json "models"
//   claims(cell, name, pass, expected, measured)
//   robust_accuracy(cell, model, attack, norm, eps, accuracy)
#pragma once
#include <map>
#include <string>
#include <vector>

#include "sweep/sweep_layout.h"

struct sqlite3;

namespace robustlab {

enum class CellStatus { Pending, Running, Done, Failed };
const char* status_name(CellStatus status);

// What the sweep directory says of a cell now.
CellStatus cell_status(const SweepLayout& layout, const SweepCell& cell);

class SweepStore {
 public:
  explicit SweepStore(const std::string& path);  // creates the tables if missing
  ~SweepStore();
  SweepStore(const SweepStore&) = delete;
  SweepStore& operator=(const SweepStore&) = delete;

  // Brings the given cells' rows up to date with the sweep directory, in one transaction.
  void refresh(const SweepLayout& layout, const std::vector<SweepCell>& cells);

  std::map<std::string, CellStatus> statuses() const;  // by cell id
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace robustlab
