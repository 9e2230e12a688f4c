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

#include "config/fields.h"
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

  void fields(Fields& f) {
    f.field("k", k, "number of clusters (orthogonal centres)", {2});
    f.field("d", d, "input dimension", {2});
    f.field("train_per_cluster", train_per_cluster, "training points per cluster", {1});
    f.field("test_per_cluster", test_per_cluster, "test points per cluster", {1});
    f.field("noise_std", noise_std, "sigma of the Gaussian noise around each centre", {0});
    f.field("centre_norm", centre_norm, "norm of each centre; 0 means sqrt(d)", {0});
    f.field("centre_norm_spread", centre_norm_spread, "norms vary as centre_norm*(1 + s*U[-1,1])", {0, 0.99});
    f.field("centres", centres, "orthogonal (QR) or gaussian (nearly orthogonal)", {"orthogonal", "gaussian"});
    f.field("split", split, "positive clusters: halves (first k/2) or alternate (even j)", {"halves", "alternate"});
  }
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
