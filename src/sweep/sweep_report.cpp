#include "sweep/sweep_report.h"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <set>

#include "experiment/seeds.h"

namespace robustlab {
namespace {

std::string column_text(sqlite3_stmt* q, int i) {
  const unsigned char* t = sqlite3_column_text(q, i);
  return t ? reinterpret_cast<const char*>(t) : "";
}

// Rows of a query, each column as text (numbers are read back with sqlite3_column_double).
template <typename Row>
void each_row(sqlite3* db, const char* sql, Row row) {
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &q, nullptr);
  while (sqlite3_step(q) == SQLITE_ROW) row(q);
  sqlite3_finalize(q);
}

struct DoneCell {
  int64_t seed = 0;
  std::map<std::string, std::string> axis_text;
  std::map<std::string, double> axis_number;
};

std::map<std::string, DoneCell> done_cells(sqlite3* db) {
  std::map<std::string, DoneCell> cells;
  each_row(db, "SELECT id, seed FROM cells WHERE status = 'done'",
           [&](sqlite3_stmt* q) { cells[column_text(q, 0)].seed = sqlite3_column_int64(q, 1); });
  each_row(db, "SELECT cell, key, value, number FROM axes", [&](sqlite3_stmt* q) {
    auto it = cells.find(column_text(q, 0));
    if (it == cells.end()) return;
    it->second.axis_text[column_text(q, 1)] = column_text(q, 2);
    if (sqlite3_column_type(q, 3) != SQLITE_NULL) it->second.axis_number[column_text(q, 1)] = sqlite3_column_double(q, 3);
  });
  return cells;
}

// Over seeds, the metrics as the kit's tables merge them: one table per seed with the axes, model
// and metric as keys, combined into mean, sd, min and max (experiment/seeds.h).
Table metrics_table(const SweepSpec& spec, sqlite3* db, const std::map<std::string, DoneCell>& cells) {
  std::vector<Column> columns;
  std::set<std::string> numeric;
  for (const auto& axis : spec.axes) {
    bool all_numbers = true;
    for (const auto& [id, c] : cells) all_numbers = all_numbers && c.axis_number.count(axis.key);
    if (all_numbers) numeric.insert(axis.key);
    columns.push_back(all_numbers ? number_key(axis.key) : text_key(axis.key));
  }
  for (Column c : {text_key("model"), text_key("metric"), seed_column(), value("value")}) columns.push_back(c);
  std::map<int64_t, Table> per_seed;
  // In the order of the grid (axes as in the file), so that lines run along their axis.
  std::map<std::string, size_t> order;
  for (const auto& cell : expand_cells(spec)) order[cell.id] = order.size();
  std::vector<std::pair<size_t, std::vector<Cell>>> rows;
  each_row(db, "SELECT cell, model, metric, value FROM metrics ORDER BY rowid", [&](sqlite3_stmt* q) {
    const auto it = cells.find(column_text(q, 0));
    if (it == cells.end() || sqlite3_column_type(q, 3) == SQLITE_NULL) return;
    std::vector<Cell> row;
    for (const auto& axis : spec.axes)
      row.push_back(numeric.count(axis.key) ? Cell(it->second.axis_number.at(axis.key)) : Cell(it->second.axis_text.at(axis.key)));
    row.push_back(column_text(q, 1));
    row.push_back(column_text(q, 2));
    row.push_back(it->second.seed);
    row.push_back(sqlite3_column_double(q, 3));
    rows.emplace_back(order.count(it->first) ? order.at(it->first) : order.size(), row);
  });
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [at, row] : rows) {
    const int64_t seed = std::get<int64_t>(row[spec.axes.size() + 2]);
    auto t = per_seed.find(seed);
    if (t == per_seed.end()) t = per_seed.emplace(seed, Table("metrics", columns, "")).first;
    t->second.add(row);
  }
  if (per_seed.empty()) per_seed.emplace(0, Table("metrics", columns, ""));
  std::vector<const Table*> tables;
  for (const auto& [seed, t] : per_seed) tables.push_back(&t);
  Table out = combine_tables(tables);
  out.caption = "Every model number of results.json over the grid: mean, sd, min and max over seeds.";
  return out;
}

}  // namespace

StudyResult sweep_result(const SweepSpec& spec, const SweepStore& store, const std::string& metric_filter) {
  sqlite3* db = store.handle();
  const auto cells = done_cells(db);
  StudyResult r;
  r.study = spec.study;
  r.explanation = "A sweep of **" + spec.study + "** over " + std::to_string(expand_cells(spec).size()) +
                  " cells; the figures show each model's numbers against each axis, one line per value of the "
                  "other axes, the mean over seeds with a band of ±1 sd.";
  Table status("cells", {text_key("status"), integer_value("cells")}, "Cells by status.");
  status.in_report = true;
  each_row(db, "SELECT status, COUNT(*) FROM cells GROUP BY status ORDER BY status",
           [&](sqlite3_stmt* q) { status.add({column_text(q, 0), sqlite3_column_int64(q, 1)}); });
  r.tables.push_back(status);

  // A claim holds on a cell when it passed there; "holds on k/n cells" over the finished ones.
  Table claims("claims", {text_key("claim"), integer_value("holds"), integer_value("cells")}, "Claims over the finished cells.");
  claims.in_report = true;
  each_row(db,
           "SELECT name, SUM(pass), COUNT(*), MIN(expected) FROM claims JOIN cells ON cells.id = claims.cell "
           "WHERE cells.status = 'done' GROUP BY name ORDER BY MIN(claims.rowid)",
           [&](sqlite3_stmt* q) {
             const int64_t holds = sqlite3_column_int64(q, 1), n = sqlite3_column_int64(q, 2);
             claims.add({column_text(q, 0), holds, n});
             r.claims.push_back({column_text(q, 0), column_text(q, 3),
                                 "holds on " + std::to_string(holds) + "/" + std::to_string(n) + " cells", holds == n});
           });
  r.tables.push_back(claims);

  if (cells.empty()) return r;
  Table metrics = metrics_table(spec, db, cells);
  std::vector<std::pair<std::string, std::string>> model_metrics;
  for (size_t i = 0; i < metrics.rows.size(); ++i) {
    const std::pair<std::string, std::string> mm{metrics.text(i, "model"), metrics.text(i, "metric")};
    if (std::find(model_metrics.begin(), model_metrics.end(), mm) == model_metrics.end()) model_metrics.push_back(mm);
  }
  for (const auto& [model, metric] : model_metrics) {
    const std::string name = model + "." + metric;
    if (!metric_filter.empty() && name.find(metric_filter) == std::string::npos) continue;
    for (const auto& axis : spec.axes) {
      if (metrics.columns[metrics.index(axis.key)].type != ColumnType::Number) continue;  // text axes: no x
      std::vector<std::string> others;
      for (const auto& o : spec.axes)
        if (o.key != axis.key) others.push_back(o.key);
      Figure f = Figure::lines(name + "_vs_" + axis.key, "metrics", axis.key, "value", others,
                               name + " against " + axis.key + " (mean ± sd over seeds)");
      f.where = {{"model", model}, {"metric", metric}};
      f.xlabel = axis.key;
      f.ylabel = name;
      r.figures.push_back(f);
    }
  }
  r.tables.push_back(std::move(metrics));
  return r;
}

}  // namespace robustlab
