// A figure, declared over one table of the result: which columns go where. report/ draws it
// (gnuplot, PNG and SVG) without knowing the study; over several seeds the same declaration is
// drawn from the merged table, with bands of ±1 standard deviation around each line.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace robustlab {

// A vertical line at x, labelled (a theory's scale, a training radius).
struct Reference {
  std::string label;
  double x = 0;
};

struct Figure {
  enum class Kind {
    Lines,    // y against x, one line per distinct value of the `series` columns
    Bars,     // y per x category, one bar group per distinct `series` value
    Heatmap,  // each table row a row of cells: every number column, coloured in [zmin, zmax]
    Images,   // one grey image per distinct `image` value: pixel (`pixel_row`, `pixel_col`) = `value`
  };

  Kind kind = Kind::Lines;
  std::string name;   // NAME.png and NAME.svg
  std::string table;  // the table it draws
  std::string title;

  // Lines and bars.
  std::string x, y;
  std::vector<std::string> series;                         // columns naming each line
  std::vector<std::pair<std::string, std::string>> where;  // only rows whose column has this text
  std::string top_axis_by;  // lines whose value of this column differs from the first line's use a top x axis
  std::string xlabel, ylabel;
  std::string legend;  // gnuplot's key position ("bottom left"); empty: its default
  std::optional<double> ymin, ymax;
  bool log_x = false, log_y = false;
  std::vector<Reference> references;

  // Heatmap.
  std::string row_label;  // the text column naming each row
  double zmin = -1, zmax = 1;
  bool print_values = true;

  // Images.
  std::string image, pixel_row, pixel_col, value;

  static Figure lines(std::string name, std::string table, std::string x, std::string y,
                      std::vector<std::string> series, std::string title);
  static Figure bars(std::string name, std::string table, std::string x, std::string y,
                     std::vector<std::string> series, std::string title);
  static Figure heatmap(std::string name, std::string table, std::string row_label, std::string title);
  static Figure images(std::string name, std::string table, std::string image, std::string title);
};

}  // namespace robustlab
