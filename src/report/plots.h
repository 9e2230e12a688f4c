// Figures drawn by gnuplot (Debian gnuplot-nox): the script and its data go to gnuplot's stdin, so
// a run's directory holds only the images. Each figure is written as PNG and SVG.
#pragma once
#include <string>

#include "experiment/figure.h"
#include "experiment/table.h"

namespace robustlab {

bool gnuplot_available();

// path_stem + ".png" and ".svg"; UserError when gnuplot fails.
void draw_figure(const Figure& figure, const Table& table, const std::string& path_stem);

}  // namespace robustlab
