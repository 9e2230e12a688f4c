#include "data/synthetic/feature_patches.h"

#include "runtime/user_error.h"

namespace robustlab {
namespace {

// n inputs of the classes in `labels`, their robust patch at a uniform position.
at::Tensor sample_inputs(const FeaturePatchesOptions& o, const at::Tensor& labels, const at::Tensor& basis,
                         at::Generator& gen) {
  const int64_t n = labels.size(0), k = o.k, P = o.patches, d = o.d;
  const at::Tensor u = basis.slice(0, 0, k), v = basis.slice(0, k, 2 * k);
  // Noise orthogonal to every feature: Gaussian, then its component in their span removed.
  at::Tensor noise = torch::randn({n, P, d}, gen, torch::kFloat64) * o.noise_std;
  noise = noise - noise.matmul(basis.t()).matmul(basis);
  at::Tensor x = noise + o.nonrobust_strength * v.index_select(0, labels).unsqueeze(1);
  const at::Tensor position = torch::randint(0, P, {n}, gen, torch::kInt64);
  const at::Tensor rows = torch::arange(n, torch::kInt64);
  x.index_put_({rows, position}, noise.index({rows, position}) + o.robust_strength * u.index_select(0, labels));
  return x.to(torch::kFloat32);
}

}  // namespace

FeaturePatches make_feature_patches(const FeaturePatchesOptions& o, at::Generator& gen) {
  if (o.k * o.robust_support + o.k > o.d)
    throw UserError("data.d: k robust features of " + std::to_string(o.robust_support) + " coordinates and k dense ones "
                    "do not fit in d = " + std::to_string(o.d));
  // u_y: ±1/√s on coordinates y·s .. y·s + s − 1 of a random permutation; v_y: QR of Gaussian
  // directions after the u's are projected out, so all 2k are orthonormal.
  at::Tensor basis = torch::zeros({2 * o.k, o.d}, torch::kFloat64);
  const at::Tensor coordinates = torch::randperm(o.d, gen, torch::kInt64);
  const at::Tensor signs = torch::randint(0, 2, {o.k, o.robust_support}, gen, torch::kFloat64) * 2 - 1;
  for (int64_t y = 0; y < o.k; ++y)
    basis[y].index_put_({coordinates.slice(0, y * o.robust_support, (y + 1) * o.robust_support)},
                        signs[y] / std::sqrt(static_cast<double>(o.robust_support)));
  const at::Tensor u = basis.slice(0, 0, o.k);
  at::Tensor g = torch::randn({o.d, o.k}, gen, torch::kFloat64);
  g = g - u.t().matmul(u.matmul(g));
  basis.slice(0, o.k, 2 * o.k).copy_(std::get<0>(torch::linalg_qr(g)).t());
  FeaturePatches out;
  out.robust_features = basis.slice(0, 0, o.k).to(torch::kFloat32);
  out.nonrobust_features = basis.slice(0, o.k, 2 * o.k).to(torch::kFloat32);
  for (auto [set, n] : {std::pair{&out.train, o.train_size}, std::pair{&out.test, o.test_size}}) {
    set->labels = torch::randint(0, o.k, {n}, gen, torch::kInt64);
    set->inputs = sample_inputs(o, set->labels, basis, gen);
    set->fine_labels = set->labels;
  }
  return out;
}

}  // namespace robustlab
