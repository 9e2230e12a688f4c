#include "experiment/image_table.h"

namespace robustlab {

Table image_table(const std::string& name, const std::vector<std::pair<std::string, at::Tensor>>& images,
                  const std::string& caption) {
  Table table(name, {text_key("image"), integer_key("row"), integer_key("col"), value("value")}, caption);
  table.precision = 6;
  for (const auto& [label, image] : images) {
    // [C, H, W] with C > 1: the channels side by side, one picture of width C·W.
    at::Tensor pixels = image.detach().to(torch::kCPU, torch::kFloat64);
    pixels = pixels.dim() == 3 ? pixels.permute({1, 0, 2}).reshape({pixels.size(1), -1})
                               : pixels.reshape({image.size(-2), image.size(-1)});
    const auto p = pixels.accessor<double, 2>();
    for (int64_t r = 0; r < pixels.size(0); ++r)
      for (int64_t c = 0; c < pixels.size(1); ++c) table.add({label, r, c, p[r][c]});
  }
  return table;
}

}  // namespace robustlab
