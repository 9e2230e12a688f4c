// How much of an image's energy sits at high spatial frequencies: with F = the 2-D DFT of each
// channel and r(k) = √(f_y² + f_x²) the radial frequency of bin k in cycles per pixel (0 to 1/√2),
//     share = Σ_{r(k) > cutoff} |F_k|² / Σ_k |F_k|²,
// near 0 for a smooth picture and about the area fraction beyond the cutoff for white noise.
// Applied to first-layer weights seen as images: adversarially trained filters are smoother.
#pragma once
#include <ATen/core/Tensor.h>

namespace robustlab {

// images [m, C, H, W] -> [m] float64.
at::Tensor high_frequency_share(const at::Tensor& images, double cutoff);

}  // namespace robustlab
