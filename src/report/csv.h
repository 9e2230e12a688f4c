// A table as CSV: a header of column names, then one line per row.
#pragma once
#include <string>

#include "experiment/table.h"

namespace robustlab {

std::string table_csv(const Table& table);

}  // namespace robustlab
