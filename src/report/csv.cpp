#include "report/csv.h"

#include <iomanip>
#include <sstream>

namespace robustlab {
namespace {

// RFC 4180: a text with a comma, quote or line break is quoted, its quotes doubled.
void write_field(std::ostream& out, const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out << text;
    return;
  }
  out << '"';
  for (const char c : text) out << (c == '"' ? "\"\"" : std::string(1, c));
  out << '"';
}
template <typename T>
void write_field(std::ostream& out, const T& number) {
  out << number;
}

}  // namespace

std::string table_csv(const Table& table) {
  std::ostringstream out;
  out << std::setprecision(table.precision);
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (i) out << ',';
    write_field(out, table.columns[i].name);
  }
  out << '\n';
  for (const auto& row : table.rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) out << ',';
      std::visit([&](const auto& v) { write_field(out, v); }, row[i]);
    }
    out << '\n';
  }
  return out.str();
}

}  // namespace robustlab
