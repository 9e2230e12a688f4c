#include "data/synthetic/sparse_coding.h"

#include "runtime/user_error.h"

namespace robustlab {
namespace {

// n codes with a label: rows of z whose ⟨w*, z⟩ ≠ 0, drawn in rounds until there are enough.
at::Tensor sample_codes(const SparseCodingOptions& o, const at::Tensor& teacher, int64_t n, at::Generator& gen) {
  std::vector<at::Tensor> kept;
  int64_t have = 0;
  for (int round = 0; have < n; ++round) {
    if (round == 1000)
      throw UserError("data: codes almost never touch the teacher's atoms; raise data.sparsity or teacher_support");
    const at::Tensor active = torch::rand({n, o.d}, gen) < o.sparsity / static_cast<double>(o.d);
    const at::Tensor signs = torch::randint(0, 2, {n, o.d}, gen, torch::kFloat32) * 2 - 1;
    const at::Tensor z = active.to(torch::kFloat32) * signs;
    const at::Tensor labelled = z.matmul(teacher) != 0;
    kept.push_back(z.index({labelled}));
    have += kept.back().size(0);
  }
  return torch::cat(kept).slice(0, 0, n);
}

Dataset observe(const at::Tensor& z, const SparseCoding& data, double noise_std, at::Generator& gen) {
  const double d = static_cast<double>(z.size(1));
  Dataset set;
  set.inputs = z.matmul(data.dictionary.t()) + torch::randn(z.sizes(), gen) * (noise_std / std::sqrt(d));
  set.labels = z.matmul(data.teacher).sign().to(torch::kInt64);
  return set;
}

}  // namespace

at::Tensor SparseCoding::dense_direction() const {
  const at::Tensor u = dictionary.matmul(teacher);
  return u / u.norm();
}

SparseCoding make_sparse_coding(const SparseCodingOptions& o, at::Generator& gen) {
  if (o.teacher_support > o.d)
    throw UserError("data.teacher_support: " + std::to_string(o.teacher_support) + " atoms do not fit in d = " +
                    std::to_string(o.d));
  SparseCoding data;
  data.dictionary = std::get<0>(torch::linalg_qr(torch::randn({o.d, o.d}, gen, torch::kFloat64))).to(torch::kFloat32);
  data.teacher = torch::randint(0, 2, {o.d}, gen, torch::kFloat32) * 2 - 1;
  if (o.teacher_support > 0) data.teacher.slice(0, o.teacher_support).zero_();
  data.train_codes = sample_codes(o, data.teacher, o.train_size, gen);
  data.test_codes = sample_codes(o, data.teacher, o.test_size, gen);
  data.train = observe(data.train_codes, data, o.noise_std, gen);
  data.test = observe(data.test_codes, data, o.noise_std, gen);
  return data;
}

}  // namespace robustlab
