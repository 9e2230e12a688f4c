#include "probes/ntk/jacobian_ntk.h"

namespace robustlab {

at::Tensor per_example_jacobian(const Forward& forward, const std::vector<at::Tensor>& parameters,
                                const at::Tensor& x) {
  TORCH_CHECK(!parameters.empty(), "Jacobian NTK: no parameters");
  torch::AutoGradMode enable_grad(true);
  int64_t total = 0;
  for (const auto& p : parameters) total += p.numel();
  const int64_t n = x.size(0);
  at::Tensor jacobian;
  for (int64_t i = 0; i < n; ++i) {
    const at::Tensor f = forward(x.slice(0, i, i + 1)).reshape({-1});  // the c outputs of example i
    if (!jacobian.defined()) jacobian = torch::zeros({n, f.size(0), total}, parameters[0].options());
    for (int64_t a = 0; a < f.size(0); ++a) {
      const auto grads = torch::autograd::grad({f[a]}, parameters, {}, /*retain_graph=*/a + 1 < f.size(0),
                                               /*create_graph=*/false, /*allow_unused=*/true);
      int64_t offset = 0;
      for (size_t k = 0; k < parameters.size(); ++k) {
        const int64_t size = parameters[k].numel();
        if (grads[k].defined()) jacobian[i][a].slice(0, offset, offset + size).copy_(grads[k].reshape({-1}));
        offset += size;
      }
    }
  }
  return jacobian;
}

at::Tensor contract_jacobians(const at::Tensor& j1, const at::Tensor& j2, NtkForm form) {
  torch::NoGradGuard no_grad;
  const int64_t n1 = j1.size(0), n2 = j2.size(0), c = j1.size(1), p = j1.size(2);
  if (form == NtkForm::PerOutput)
    return j1.reshape({n1 * c, p}).matmul(j2.reshape({n2 * c, p}).t()).view({n1, c, n2, c});
  return j1.transpose(0, 1).bmm(j2.permute({1, 2, 0})).sum(0);  // Σ_a J1[:, a] J2[:, a]ᵀ
}

at::Tensor jacobian_ntk(const Forward& forward, const std::vector<at::Tensor>& parameters, const at::Tensor& x1,
                        const at::Tensor& x2, NtkForm form) {
  const at::Tensor j1 = per_example_jacobian(forward, parameters, x1);
  if (x2.is_same(x1)) return contract_jacobians(j1, j1, form);
  return contract_jacobians(j1, per_example_jacobian(forward, parameters, x2), form);
}

at::Tensor jacobian_ntk(const Forward& forward, const std::vector<at::Tensor>& parameters, const at::Tensor& x,
                        NtkForm form) {
  return jacobian_ntk(forward, parameters, x, x, form);
}

}  // namespace robustlab
