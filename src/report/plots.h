// Plots drawn by gnuplot (Debian gnuplot-nox): the script and its data go to gnuplot's stdin, so
// a run's directory holds only the images. Each plot is written as PNG and SVG.
#pragma once
#include <string>
#include <vector>

#include "studies/study.h"

namespace robustlab {

bool gnuplot_available();

// Heatmap of a units × features cosine matrix, colour range [−1, 1]. path_stem + ".png"/".svg".
void plot_cosine_heatmap(const CosineMatrix& matrix, const std::string& path_stem);

// Worst-case robust accuracy against ε, one line per model, with the theory's reference scales
// drawn as vertical lines.
void plot_robust_accuracy(const StudyResult& result, const std::string& path_stem);

}  // namespace robustlab
