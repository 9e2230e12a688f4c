#include "probes/ntk/ntk_form.h"

namespace robustlab {

at::Tensor reduce_ntk(const at::Tensor& per_output, NtkForm form) {
  if (form == NtkForm::PerOutput) return per_output;
  return per_output.diagonal(0, 1, 3).sum(-1);  // Σ_a Θ[i, a, j, a]
}

}  // namespace robustlab
