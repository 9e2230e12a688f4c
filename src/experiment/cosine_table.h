// A units × features cosine matrix (probes/feature_cosine.h) as a table of the result,
// cosine_MODEL.csv (unit,<feature names>), and its heatmap: a block pattern when units average
// features, a diagonal when they separate them.
#pragma once
#include <ATen/core/Tensor.h>
#include <string>
#include <vector>

#include "experiment/figure.h"
#include "experiment/table.h"

namespace robustlab {

Table cosine_table(const std::string& model, const at::Tensor& cosines, const std::vector<std::string>& units,
                   const std::vector<std::string>& features);

Figure cosine_figure(const std::string& model, const std::string& title);

}  // namespace robustlab
