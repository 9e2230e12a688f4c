#include "experiment/table.h"

#include <stdexcept>

namespace robustlab {

Column text_key(std::string name) { return {std::move(name), ColumnType::Text, ColumnRole::Key}; }
Column integer_key(std::string name) { return {std::move(name), ColumnType::Integer, ColumnRole::Key}; }
Column number_key(std::string name) { return {std::move(name), ColumnType::Number, ColumnRole::Key}; }
Column value(std::string name) { return {std::move(name), ColumnType::Number, ColumnRole::Value}; }
Column integer_value(std::string name) { return {std::move(name), ColumnType::Integer, ColumnRole::Value}; }
Column seed_column(std::string name) { return {std::move(name), ColumnType::Integer, ColumnRole::Seed}; }

Table::Table(std::string name_, std::vector<Column> columns_, std::string caption_)
    : name(std::move(name_)), columns(std::move(columns_)), caption(std::move(caption_)) {}

Table& Table::add(std::vector<Cell> row) {
  if (row.size() != columns.size())
    throw std::logic_error("table " + name + ": row of " + std::to_string(row.size()) + " cells for " +
                           std::to_string(columns.size()) + " columns");
  for (size_t i = 0; i < row.size(); ++i) {
    const ColumnType type = columns[i].type;
    // An integer given for a number column is stored as a number.
    if (type == ColumnType::Number && std::holds_alternative<int64_t>(row[i]))
      row[i] = static_cast<double>(std::get<int64_t>(row[i]));
    const bool ok = (type == ColumnType::Text && std::holds_alternative<std::string>(row[i])) ||
                    (type == ColumnType::Integer && std::holds_alternative<int64_t>(row[i])) ||
                    (type == ColumnType::Number && std::holds_alternative<double>(row[i]));
    if (!ok) throw std::logic_error("table " + name + ": cell of the wrong type in column " + columns[i].name);
  }
  rows.push_back(std::move(row));
  return *this;
}

bool Table::has(const std::string& column) const {
  for (const auto& c : columns)
    if (c.name == column) return true;
  return false;
}

size_t Table::index(const std::string& column) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == column) return i;
  throw std::logic_error("table " + name + " has no column " + column);
}

double Table::number(size_t row, const std::string& column) const {
  const Cell& c = rows.at(row).at(index(column));
  if (const auto* i = std::get_if<int64_t>(&c)) return static_cast<double>(*i);
  return std::get<double>(c);
}

const std::string& Table::text(size_t row, const std::string& column) const {
  return std::get<std::string>(rows.at(row).at(index(column)));
}

std::vector<std::string> numbered(const std::string& prefix, int64_t count, int64_t first) {
  std::vector<std::string> names;
  for (int64_t i = 0; i < count; ++i) names.push_back(prefix + std::to_string(first + i));
  return names;
}

}  // namespace robustlab
