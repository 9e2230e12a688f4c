#include "experiment/cosine_table.h"

namespace robustlab {

Table cosine_table(const std::string& model, const at::Tensor& cosines, const std::vector<std::string>& units,
                   const std::vector<std::string>& features) {
  std::vector<Column> columns{text_key("unit")};
  for (const auto& f : features) columns.push_back(value(f));
  Table table("cosine_" + model, columns);
  table.precision = 6;
  const at::Tensor c = cosines.to(torch::kCPU, torch::kFloat64).contiguous();
  const auto v = c.accessor<double, 2>();
  for (int64_t r = 0; r < c.size(0); ++r) {
    std::vector<Cell> row{units.at(static_cast<size_t>(r))};
    for (int64_t j = 0; j < c.size(1); ++j) row.emplace_back(std::in_place_type<double>, v[r][j]);
    table.add(row);
  }
  return table;
}

Figure cosine_figure(const std::string& model, const std::string& title) {
  Figure f = Figure::heatmap("cosine_" + model, "cosine_" + model, "unit", title + ": " + model);
  f.xlabel = "feature";
  f.ylabel = "hidden unit";
  return f;
}

}  // namespace robustlab
