#include "data/synthetic/orthogonal_clusters.h"

#include "runtime/user_error.h"

namespace robustlab {
namespace {

// Rows μ_j: orthonormal (QR of a d×k Gaussian) or independent Gaussian directions, whose pairwise
// cosines are O(1/√d) ("nearly orthogonal"), each scaled to its norm.
torch::Tensor make_centres(const OrthogonalClustersOptions& o, at::Generator& gen) {
  torch::Tensor g = torch::randn({o.d, o.k}, gen, torch::kFloat64);
  torch::Tensor directions;  // [d, k], unit columns
  if (o.centres == "orthogonal") {
    directions = std::get<0>(torch::linalg_qr(g));
  } else {
    directions = g / g.norm(2, {0}, true);
  }
  const double base = o.centre_norm > 0 ? o.centre_norm : std::sqrt(static_cast<double>(o.d));
  torch::Tensor u = torch::rand({o.k}, gen, torch::kFloat64) * 2 - 1;
  torch::Tensor norms = base * (1 + o.centre_norm_spread * u);
  return (directions * norms.unsqueeze(0)).t().contiguous().to(torch::kFloat32);
}

torch::Tensor make_cluster_labels(const OrthogonalClustersOptions& o) {
  torch::Tensor labels = torch::empty({o.k}, torch::kInt64);
  for (int64_t j = 0; j < o.k; ++j) {
    const bool positive = o.split == "halves" ? j < o.k / 2 : j % 2 == 0;
    labels[j] = positive ? 1 : -1;
  }
  return labels;
}

Dataset sample(const torch::Tensor& centres, const torch::Tensor& cluster_labels,
               int64_t per_cluster, double noise_std, at::Generator& gen) {
  const int64_t k = centres.size(0), d = centres.size(1);
  // Exactly per_cluster points of each cluster, in cluster order: balanced by construction.
  torch::Tensor fine = torch::arange(k, torch::kInt64).repeat_interleave(per_cluster);
  torch::Tensor noise = torch::randn({k * per_cluster, d}, gen, torch::kFloat32) * noise_std;
  Dataset data;
  data.inputs = centres.index_select(0, fine) + noise;
  data.labels = cluster_labels.index_select(0, fine);
  data.fine_labels = fine;
  return data;
}

}  // namespace

OrthogonalClusters make_orthogonal_clusters(const OrthogonalClustersOptions& o,
                                            at::Generator& generator) {
  if (o.k < 2) throw UserError("data.k: need at least 2 clusters, got " + std::to_string(o.k));
  if (o.centres == "orthogonal" && o.k > o.d)
    throw UserError("data.k: " + std::to_string(o.k) + " orthogonal centres do not fit in d = " +
                    std::to_string(o.d) + " dimensions");
  OrthogonalClusters out;
  out.centres = make_centres(o, generator);
  out.cluster_labels = make_cluster_labels(o);
  out.train = sample(out.centres, out.cluster_labels, o.train_per_cluster, o.noise_std, generator);
  out.test = sample(out.centres, out.cluster_labels, o.test_per_cluster, o.noise_std, generator);
  return out;
}

}  // namespace robustlab
