// The infinite-width NTK of a fully connected ReLU network in the NTK parameterisation (Jacot et
// al. 2018; Arora et al. 2019):
//     h¹ = σ_w W¹ x / √d + σ_b b¹,   h^{l+1} = σ_w W^{l+1} ReLU(h^l) / √m + σ_b b^{l+1},
//     f(x) = h^{L+1} (one output),   every entry of W and b drawn from N(0, 1),
// with L hidden layers of width m → ∞. With Σ¹(x, x') = σ_w² ⟨x, x'⟩/d + σ_b² and Θ¹ = Σ¹, for each
// layer l = 1..L, with (u, v) ~ N(0, [[Σ^l(x,x), Σ^l(x,x')], [Σ^l(x,x'), Σ^l(x',x')]]):
//     Σ^{l+1} = σ_w² E[ReLU(u) ReLU(v)] + σ_b²,   Σ̇^{l+1} = σ_w² E[ReLU'(u) ReLU'(v)],
//     Θ^{l+1} = Θ^l Σ̇^{l+1} + Σ^{l+1},            Θ = Θ^{L+1},
// where the two expectations are the arc-cosine kernels of degree 1 and 0 (Cho & Saul): with
// ρ = Σ^l(x,x')/√(Σ^l(x,x) Σ^l(x',x')) and θ = arccos ρ,
//     E[ReLU(u) ReLU(v)]   = √(Σ^l(x,x) Σ^l(x',x')) · (sin θ + (π − θ) cos θ) / (2π),
//     E[ReLU'(u) ReLU'(v)] = (π − θ) / (2π).
// Built from torch ops, so it is differentiable in x (the kernel of training-free attacks); at
// ρ = ±1 (x' = x) arccos has an infinite derivative, so its gradient is taken at ρ clamped to
// (−1 + 1e-7, 1 − 1e-7) while its value is exact.
#pragma once
#include <ATen/core/Tensor.h>
#include <cmath>

namespace robustlab {

struct ReluNtkOptions {
  int hidden_layers = 1;        // L
  double weight_std = std::sqrt(2.0);  // σ_w
  double bias_std = 0.1;        // σ_b
};

// Θ(x1, x2) [n1, n2] for x1 [n1, ...], x2 [n2, ...] (flattened to d features).
at::Tensor infinite_relu_ntk(const at::Tensor& x1, const at::Tensor& x2, const ReluNtkOptions& options = {});

}  // namespace robustlab
