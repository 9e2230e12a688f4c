// Input normalisation inside the model, so that attacks and the data box live in pixel space
// [0, 1]:  x̂_c = (x_c − mean_c) / std_c  per channel c. mean and std are buffers: saved with the
// model, never trained.
#pragma once
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <vector>

namespace robustlab {

class NormalizeImpl : public torch::nn::Module {
 public:
  NormalizeImpl(const std::vector<double>& mean, const std::vector<double>& std);
  torch::Tensor forward(const torch::Tensor& x);  // [n, C, H, W]

  torch::Tensor mean, std;  // buffers [1, C, 1, 1]
};
TORCH_MODULE(Normalize);

}  // namespace robustlab
