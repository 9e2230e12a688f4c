#include "sweep/store.h"

#include <sqlite3.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "config/config.h"
#include "runtime/user_error.h"
#include "sweep/attempt.h"

namespace robustlab {
namespace {

const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS cells(id TEXT PRIMARY KEY, seed INTEGER NOT NULL, status TEXT NOT NULL,
  run_dir TEXT NOT NULL, host TEXT, started REAL, wall_seconds REAL, run_seconds REAL, error TEXT);
CREATE TABLE IF NOT EXISTS axes(cell TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, number REAL,
  PRIMARY KEY(cell, key));
CREATE TABLE IF NOT EXISTS metrics(cell TEXT NOT NULL, model TEXT NOT NULL, metric TEXT NOT NULL, value REAL,
  PRIMARY KEY(cell, model, metric));
CREATE TABLE IF NOT EXISTS claims(cell TEXT NOT NULL, name TEXT NOT NULL, pass INTEGER NOT NULL, expected TEXT,
  measured TEXT, PRIMARY KEY(cell, name));
CREATE TABLE IF NOT EXISTS robust_accuracy(cell TEXT NOT NULL, model TEXT NOT NULL, attack TEXT NOT NULL,
  norm TEXT NOT NULL, eps REAL NOT NULL, accuracy REAL, PRIMARY KEY(cell, model, attack, norm, eps));
)";

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  throw UserError("results store: " + what + ": " + (db ? sqlite3_errmsg(db) : "cannot open"));
}

void exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(db, sql);
}

// One prepared statement: bind the values, step it once, reset it for the next row.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) fail(db, sql);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  Statement& bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& bind_null(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  void run() {
    const int rc = sqlite3_step(stmt_);
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    if (rc != SQLITE_DONE) fail(db_, "write");
  }
  sqlite3_stmt* get() { return stmt_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// A transaction that rolls back unless committed (an exception midway leaves the store as it was).
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) { exec(db, "BEGIN IMMEDIATE"); }
  ~Transaction() {
    if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void commit() {
    exec(db_, "COMMIT");
    done_ = true;
  }

 private:
  sqlite3* db_;
  bool done_ = false;
};

struct Writers {
  explicit Writers(sqlite3* db)
      : cell(db, "INSERT OR REPLACE INTO cells VALUES(?,?,?,?,?,?,?,?,?)"),
        axis(db, "INSERT OR REPLACE INTO axes VALUES(?,?,?,?)"),
        metric(db, "INSERT OR REPLACE INTO metrics VALUES(?,?,?,?)"),
        claim(db, "INSERT OR REPLACE INTO claims VALUES(?,?,?,?,?)"),
        point(db, "INSERT OR REPLACE INTO robust_accuracy VALUES(?,?,?,?,?,?)"),
        clear_metrics(db, "DELETE FROM metrics WHERE cell = ?"),
        clear_claims(db, "DELETE FROM claims WHERE cell = ?"),
        clear_points(db, "DELETE FROM robust_accuracy WHERE cell = ?") {}
  Statement cell, axis, metric, claim, point, clear_metrics, clear_claims, clear_points;
};

// The numbers of a finished cell's results.json.
void write_results(Writers& w, const std::string& id, const nlohmann::json& results) {
  for (const auto& [model, numbers] : results.at("models").items())
    for (const auto& [metric, v] : numbers.items())
      if (v.is_number()) w.metric.bind(1, id).bind(2, model).bind(3, metric).bind(4, v.get<double>()).run();
  for (const auto& c : results.at("claims"))
    w.claim.bind(1, id).bind(2, c.at("name").get<std::string>()).bind(3, int64_t{c.at("pass").get<bool>()})
        .bind(4, c.at("expected").get<std::string>()).bind(5, c.at("measured").get<std::string>()).run();
  const auto tables = results.find("tables");
  if (tables == results.end() || !tables->contains("robust_accuracy")) return;
  const nlohmann::json& t = tables->at("robust_accuracy");
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < t.at("columns").size(); ++i) col[t["columns"][i]] = i;
  for (const auto& row : t.at("rows"))
    w.point.bind(1, id).bind(2, row.at(col.at("model")).get<std::string>())
        .bind(3, row.at(col.at("attack")).get<std::string>()).bind(4, row.at(col.at("norm")).get<std::string>())
        .bind(5, row.at(col.at("eps")).get<double>()).bind(6, row.at(col.at("accuracy")).get<double>()).run();
}

}  // namespace

const char* status_name(CellStatus s) {
  switch (s) {
    case CellStatus::Pending: return "pending";
    case CellStatus::Running: return "running";
    case CellStatus::Done: return "done";
    case CellStatus::Failed: return "failed";
  }
  return "?";
}

CellStatus cell_status(const SweepLayout& layout, const SweepCell& cell) {
  if (cell_is_done(layout, cell)) return CellStatus::Done;
  const auto attempt = read_attempt(layout.attempt(cell));
  if (!attempt) return CellStatus::Pending;
  if (attempt->state == "failed") return CellStatus::Failed;
  return attempt_is_live(*attempt) ? CellStatus::Running : CellStatus::Pending;
}

SweepStore::SweepStore(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    const std::string why = db_ ? sqlite3_errmsg(db_) : "cannot open";
    sqlite3_close(db_);
    throw UserError("results store " + path + ": " + why);
  }
  sqlite3_busy_timeout(db_, 30000);  // a `sweep status` beside a running sweep waits its turn
  exec(db_, kSchema);
}

SweepStore::~SweepStore() { sqlite3_close(db_); }

std::map<std::string, CellStatus> SweepStore::statuses() const {
  std::map<std::string, CellStatus> out;
  Statement q(db_, "SELECT id, status FROM cells");
  while (sqlite3_step(q.get()) == SQLITE_ROW) {
    const std::string id = reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 0));
    const std::string s = reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 1));
    out[id] = s == "done" ? CellStatus::Done : s == "failed" ? CellStatus::Failed
            : s == "running" ? CellStatus::Running : CellStatus::Pending;
  }
  return out;
}

void SweepStore::refresh(const SweepLayout& layout, const std::vector<SweepCell>& cells) {
  const std::map<std::string, CellStatus> known = statuses();
  Transaction tx(db_);
  Writers w(db_);
  for (const auto& cell : cells) {
    const CellStatus status = cell_status(layout, cell);
    const auto was = known.find(cell.id);
    // A finished run directory never changes: a cell stored as done is up to date.
    if (status == CellStatus::Done && was != known.end() && was->second == CellStatus::Done) continue;
    const auto attempt = read_attempt(layout.attempt(cell));
    w.cell.bind(1, cell.id).bind(2, cell.seed).bind(3, std::string(status_name(status))).bind(4, layout.cell_dir(cell));
    if (attempt) w.cell.bind(5, attempt->host).bind(6, attempt->started);
    else w.cell.bind_null(5).bind_null(6);
    if (attempt && attempt->state != "running") w.cell.bind(7, attempt->wall_seconds);
    else w.cell.bind_null(7);
    nlohmann::json results;
    if (status == CellStatus::Done) {
      results = nlohmann::json::parse(std::ifstream(layout.cell_dir(cell) + "/results.json"));
      w.cell.bind(8, results.at("seconds").get<double>());
    } else {
      w.cell.bind_null(8);
    }
    if (status == CellStatus::Failed) w.cell.bind(9, attempt->error);
    else w.cell.bind_null(9);
    w.cell.run();
    for (const auto& [key, value] : cell.axis_values) {
      w.axis.bind(1, cell.id).bind(2, key).bind(3, value);
      if (const auto number = parse_number(value)) w.axis.bind(4, *number);
      else w.axis.bind_null(4);
      w.axis.run();
    }
    for (Statement* clear : {&w.clear_metrics, &w.clear_claims, &w.clear_points}) clear->bind(1, cell.id).run();
    if (status == CellStatus::Done) write_results(w, cell.id, results);
  }
  tx.commit();
}

}  // namespace robustlab
