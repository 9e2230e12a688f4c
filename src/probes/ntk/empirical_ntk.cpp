#include "probes/ntk/empirical_ntk.h"

#include "probes/ntk/jacobian_ntk.h"
#include "probes/ntk/module_chain.h"
#include "probes/ntk/structured_ntk.h"

namespace robustlab {

at::Tensor empirical_ntk(const torch::nn::AnyModule& model, const at::Tensor& x1, const at::Tensor& x2, NtkForm form,
                         NtkPath path) {
  if (path != NtkPath::Jacobian) {
    if (const std::optional<DenseChain> chain = dense_chain_of(model)) return structured_ntk(*chain, x1, x2, form);
    if (path == NtkPath::Structured)
      throw std::invalid_argument("empirical NTK: the structured path needs a dense chain (see probes/ntk/module_chain.h)");
  }
  std::vector<at::Tensor> parameters;
  for (const auto& p : model.ptr()->parameters())
    if (p.requires_grad()) parameters.push_back(p);
  return jacobian_ntk(forward_of(model), parameters, x1, x2, form);
}

at::Tensor empirical_ntk(const torch::nn::AnyModule& model, const at::Tensor& x, NtkForm form, NtkPath path) {
  return empirical_ntk(model, x, x, form, path);
}

}  // namespace robustlab
