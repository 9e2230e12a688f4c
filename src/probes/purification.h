// The measurements of "Feature Purification" (Allen-Zhu & Li) on hidden weights.
//   Decomposition: a clean weight w_i against its adversarially trained successor w_i′,
//       w_i = β_i w_i′ + v_i,   β_i = ⟨w_i, w_i′⟩ / ‖w_i′‖²,   v_i ⟂ w_i′,
//     and the ratio ‖v_i‖ / ‖β_i w_i′‖ (= tan of the angle between w_i and w_i′): below 1 when clean
//     training had already found most of the feature adversarial training keeps, v_i being what
//     adversarial training removed.
//   Dense-mixture mass: the weight in a basis of atoms (c = A w, A's rows unit atoms), the share of
//     ‖c‖² outside the `top` largest |c_j|: near 0 for a neuron made of a few atoms, near 1 for a
//     dense mixture of them.
//   Low rank: the share of ‖ΔW‖_F² in the top k singular directions of ΔW = W′ − W.
#pragma once
#include <ATen/core/Tensor.h>

namespace robustlab {

struct Purification {
  at::Tensor beta;   // β_i [m] float64
  at::Tensor ratio;  // ‖v_i‖ / ‖β_i w_i′‖ [m] float64
};

// clean, adversarial: [m, d] (row i is w_i, w_i′). A zero w_i′ gives ratio +inf.
Purification purification(const at::Tensor& clean, const at::Tensor& adversarial);

// cos(a_i, b_i) for each row pair of a, b [m, d]: [m] float64.
at::Tensor row_cosines(const at::Tensor& a, const at::Tensor& b);

// weights [m, d], atoms [k, d] (orthonormal rows): the share of each neuron's ‖c‖² outside its
// `top` largest coefficients, [m] float64.
at::Tensor dense_mixture_mass(const at::Tensor& weights, const at::Tensor& atoms, int64_t top);

// The share of ‖delta‖_F² in the top k singular values of delta [m, d].
double top_singular_share(const at::Tensor& delta, int64_t k);

}  // namespace robustlab
