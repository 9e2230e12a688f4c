// The sparse-coding data of "Feature Purification" (Allen-Zhu & Li, FOCS 2021): a random
// orthogonal dictionary M (d × d, atoms M_j its columns), sparse codes z with each coordinate
// non-zero with probability s/d and then ±1, and small Gaussian noise,
//     x = M z + ξ,   ξ ~ N(0, σ² I_d / d),       y = sign(⟨w*, z⟩),
// with a dense teacher w* ∈ {±1}^d (or, for the ablation, supported on `teacher_support` atoms).
// Codes with ⟨w*, z⟩ = 0 have no label and are drawn again, so every example has |⟨w*, z⟩| ≥ 1.
// The linear classifier sign⟨M w*, x⟩ is exact, with ℓ2 margin |⟨w*, z⟩| / ‖w*‖ (≈ √s / √d for
// a dense w*); the thresholded network Σ_j w*_j soft_b(⟨M_j, x⟩) keeps a margin of order 1.
#pragma once
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include "config/fields.h"
#include "data/dataset.h"

namespace robustlab {

struct SparseCodingOptions {
  int64_t d = 128;
  double sparsity = 4;        // s: expected non-zero coordinates of z
  int64_t train_size = 3000, test_size = 1000;
  double noise_std = 0.1;     // σ: ‖ξ‖ ≈ σ
  int64_t teacher_support = 0;  // atoms w* is non-zero on; 0: all d (dense)

  void fields(Fields& f) {
    f.field("d", d, "dimension and number of dictionary atoms", {2, 100000});
    f.field("sparsity", sparsity, "s: expected non-zero coordinates of the code z (each with probability s/d)",
            {1e-3, 100000});
    f.field("train_size", train_size, "training examples", {1});
    f.field("test_size", test_size, "test examples", {1});
    f.field("noise_std", noise_std, "sigma: Gaussian noise N(0, sigma^2 I/d), so its norm is about sigma", {0});
    f.field("teacher_support", teacher_support, "atoms the teacher w* is non-zero on (0: all, dense)", {0});
  }
};

struct SparseCoding {
  Dataset train, test;    // inputs [n, d] float32, labels ±1
  at::Tensor dictionary;  // M [d, d] float32, orthogonal; column j is the atom M_j
  at::Tensor teacher;     // w* [d] float32, entries in {−1, 0, +1}
  at::Tensor train_codes, test_codes;  // z [n, d] float32
  // M w* / ‖M w*‖: the linear classifier's direction and the dense attack's.
  at::Tensor dense_direction() const;
};

SparseCoding make_sparse_coding(const SparseCodingOptions& options, at::Generator& generator);

}  // namespace robustlab
