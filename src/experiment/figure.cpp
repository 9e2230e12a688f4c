#include "experiment/figure.h"

namespace robustlab {
namespace {
Figure figure_of(Figure::Kind kind, std::string name, std::string table, std::string title) {
  Figure f;
  f.kind = kind;
  f.name = std::move(name);
  f.table = std::move(table);
  f.title = std::move(title);
  return f;
}
}  // namespace

Figure Figure::lines(std::string name, std::string table, std::string x, std::string y,
                     std::vector<std::string> series, std::string title) {
  Figure f = figure_of(Kind::Lines, std::move(name), std::move(table), std::move(title));
  f.x = std::move(x);
  f.y = std::move(y);
  f.series = std::move(series);
  f.xlabel = f.x;
  f.ylabel = f.y;
  return f;
}

Figure Figure::bars(std::string name, std::string table, std::string x, std::string y,
                    std::vector<std::string> series, std::string title) {
  Figure f = lines(std::move(name), std::move(table), std::move(x), std::move(y), std::move(series), std::move(title));
  f.kind = Kind::Bars;
  return f;
}

Figure Figure::heatmap(std::string name, std::string table, std::string row_label, std::string title) {
  Figure f = figure_of(Kind::Heatmap, std::move(name), std::move(table), std::move(title));
  f.row_label = std::move(row_label);
  return f;
}

// The table has columns image (text), row and col (integers) and value (number).
Figure Figure::images(std::string name, std::string table, std::string image, std::string title) {
  Figure f = figure_of(Kind::Images, std::move(name), std::move(table), std::move(title));
  f.image = std::move(image);
  f.pixel_row = "row";
  f.pixel_col = "col";
  f.value = "value";
  return f;
}

}  // namespace robustlab
