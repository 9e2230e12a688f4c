// A width sweep of feature-averaging small enough for the suite (about 1-2 s a cell), and what
// the sweep tests read back: a results store as text, the cells finished in a sweep directory.
#pragma once
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "cli_runner.h"
#include "small_study.h"

// 3 widths x 3 seeds of feature-averaging at test size; `extra` goes into the file as it is.
inline std::string write_width_sweep(const std::string& path, const std::string& extra = "") {
  std::string text = "study = \"feature-averaging\"\nseeds = [0, 1, 2]\n" + extra + "[set]\n";
  for (const auto& kv : small_feature_averaging()) {
    const auto eq = kv.find('=');
    const std::string key = kv.substr(0, eq), v = kv.substr(eq + 1);
    if (key == "attack.eps") continue;
    text += "\"" + key + "\" = " + v + "\n";
  }
  text += "\"attack.eps\" = \"2:30:4\"\n\"adversarial.width\" = 0\n\"attack.check_steps\" = 0\n";
  text += "[axes]\n\"binary.width\" = [2, 4, 8]\n";
  write_text(path, text);
  return path;
}

inline int cells_done(const std::string& sweep_dir) {
  int n = 0;
  std::error_code ec;
  if (!std::filesystem::exists(sweep_dir + "/cells", ec)) return 0;
  // Finished run directories only: a cell being written is a DIR.partial-PID beside them.
  for (const auto& e : std::filesystem::directory_iterator(sweep_dir + "/cells"))
    n += e.path().filename().string().find(".partial-") == std::string::npos &&
         std::filesystem::exists(e.path() / "results.json") && std::filesystem::exists(e.path() / ".robustlab-run");
  return n;
}

// Every result row of a store, in a fixed order, numbers to 17 digits: two stores with the same
// text hold the same numbers. Timings and hosts (which differ between runs) are left out.
inline std::string store_text(const std::string& db_path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  std::string out;
  for (const char* sql : {"SELECT id, seed, status, error FROM cells ORDER BY id",
                          "SELECT cell, key, value FROM axes ORDER BY cell, key",
                          "SELECT cell, model, metric, printf('%.17g', value) FROM metrics ORDER BY cell, model, metric",
                          "SELECT cell, name, pass, measured FROM claims ORDER BY cell, name",
                          "SELECT cell, model, attack, norm, printf('%.17g', eps), printf('%.17g', accuracy) "
                          "FROM robust_accuracy ORDER BY cell, model, attack, norm, eps"}) {
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &q, nullptr) != SQLITE_OK) return std::string("bad query ") + sql;
    while (sqlite3_step(q) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(q); ++i) {
        const unsigned char* t = sqlite3_column_text(q, i);
        out += (i ? "|" : "") + std::string(t ? reinterpret_cast<const char*>(t) : "NULL");
      }
      out += "\n";
    }
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
  return out;
}

// One number from the store ("SELECT COUNT(*) ...").
inline long long store_count(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* q = nullptr;
  long long n = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
    n = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(db);
  return n;
}
