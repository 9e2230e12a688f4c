#include "report/csv.h"

#include <iomanip>
#include <sstream>

namespace robustlab {

std::string table_csv(const Table& table) {
  std::ostringstream out;
  out << std::setprecision(table.precision);
  for (size_t i = 0; i < table.columns.size(); ++i) out << (i ? "," : "") << table.columns[i].name;
  out << '\n';
  for (const auto& row : table.rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) out << ',';
      std::visit([&](const auto& v) { out << v; }, row[i]);
    }
    out << '\n';
  }
  return out.str();
}

}  // namespace robustlab
