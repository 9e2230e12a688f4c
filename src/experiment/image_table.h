// Pictures as a table (image, row, col, value): one row per pixel, drawn by Figure::images as a
// grid of grey images (weights, input gradients, perturbations).
#pragma once
#include <ATen/core/Tensor.h>
#include <string>
#include <utility>
#include <vector>

#include "experiment/table.h"

namespace robustlab {

// Each image a named [H, W] or [C, H, W] tensor; colour channels are drawn side by side (one
// picture of width C·W).
Table image_table(const std::string& name, const std::vector<std::pair<std::string, at::Tensor>>& images,
                  const std::string& caption = "");

}  // namespace robustlab
