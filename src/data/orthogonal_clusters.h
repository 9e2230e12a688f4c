// The feature-averaging paper's data (Li, Pan, Lyu, Li 2024): k cluster centres μ_1..μ_k in R^d,
// orthonormal directions scaled to norm ‖μ_j‖ = √d by default; a point of cluster j is
//     x = μ_j + ξ,   ξ ~ N(0, σ² I_d),
// and its binary label is +1 if j is a "positive" cluster (the first k/2 by default), else −1.
// Since ‖ξ‖ ≈ σ√d, the noise is as large as the signal; what makes the task easy is that
// ⟨μ_j, ξ⟩ ~ N(0, σ²d) is small next to ‖μ_j‖² = d.
#pragma once
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <string>

#include "data/dataset.h"

namespace robustlab {

struct OrthogonalClustersOptions {
  int64_t k = 10;                      // number of clusters
  int64_t d = 3072;                    // input dimension
  int64_t train_per_cluster = 100;
  int64_t test_per_cluster = 100;
  double noise_std = 1.0;              // σ
  double centre_norm = 0.0;            // ‖μ_j‖; 0 means √d
  double centre_norm_spread = 0.0;     // s: ‖μ_j‖ = centre_norm · (1 + s·u_j), u_j ~ U[−1, 1]
  std::string centres = "orthogonal";  // "orthogonal" (QR) or "gaussian" (nearly orthogonal)
  std::string split = "halves";        // positive clusters: "halves" (first k/2) or "alternate" (even j)
};

struct OrthogonalClusters {
  Dataset train;
  Dataset test;
  at::Tensor centres;         // [k, d], row j is μ_j
  at::Tensor cluster_labels;  // [k] int64 in {−1, +1}: the binary label of each cluster
};

OrthogonalClusters make_orthogonal_clusters(const OrthogonalClustersOptions& options,
                                            at::Generator& generator);

}  // namespace robustlab
