// A table of a study's results: named, typed columns and rows. Every table becomes NAME.csv in
// the run directory and an entry of results.json; a study may also show it in report.md and draw
// figures from it (experiment/figure.h). Nothing here knows any study.
//
// Key columns say what a row is about (model, attack, eps); value columns hold what was measured.
// Over several seeds (experiment/seeds.h) rows with the same keys merge into one, each value
// becoming its mean with NAME_sd, NAME_min and NAME_max beside it, and the seed column is dropped.
#pragma once
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace robustlab {

enum class ColumnType { Text, Integer, Number };
enum class ColumnRole { Key, Value, Seed };

struct Column {
  std::string name;
  ColumnType type = ColumnType::Number;
  ColumnRole role = ColumnRole::Value;
};

Column text_key(std::string name);
Column integer_key(std::string name);
Column number_key(std::string name);
Column value(std::string name);           // a measured number
Column integer_value(std::string name);   // a measured count
Column seed_column(std::string name = "seed");

using Cell = std::variant<std::string, int64_t, double>;

struct Table {
  Table() = default;
  Table(std::string name, std::vector<Column> columns, std::string caption = "");

  std::string name;  // NAME.csv; its key in results.json
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
  std::string caption;     // a line of text above it in report.md
  bool in_report = false;  // also shown as a Markdown table in report.md
  int precision = 10;      // significant digits of numbers in the CSV

  // Appends a row; std::logic_error when its length or a cell's type does not match the columns.
  Table& add(std::vector<Cell> row);
  bool has(const std::string& column) const;
  size_t index(const std::string& column) const;  // std::logic_error when absent
  double number(size_t row, const std::string& column) const;  // Integer or Number cells
  const std::string& text(size_t row, const std::string& column) const;
};

// "w+1", "w+2", ...: labels of numbered rows (hidden units, eigenvectors).
std::vector<std::string> numbered(const std::string& prefix, int64_t count, int64_t first = 0);

}  // namespace robustlab
