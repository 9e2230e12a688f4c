// How a network's empirical NTK moves over training (Fort et al. 2020; Tsilivis & Kempe 2022),
// from its kernels K_0 (at initialisation), K_1, ..., K_T (after each epoch) on one fixed batch,
// each a symmetric [n, n] matrix. With S the kernel similarity (kernel_similarity.h):
//     similarity to the first / final kernel   S(K_t, K_0), S(K_t, K_T)
//     velocity                                 1 − S(K_t, K_{t−1})   (how far one epoch moved it)
//     polar radius and angle                   ‖K_t − K_0‖_F / ‖K_T − K_0‖_F,  arccos S(K_t, K_0)
//     top-k spectral mass                      Σ_{i≤k} λ_i² / Σ_i λ_i²   (λ the eigenvalues of K_t)
// The radius and angle are also taken for each kernel's top-k eigenspace, K^top = Σ_{i≤k} λ_i v_i v_iᵀ,
// and for the rest of it, K^bottom = K − K^top: which part of the kernel moves.
#pragma once
#include <ATen/core/Tensor.h>
#include <vector>

namespace robustlab {

struct PolarCoordinates {
  double radius = 0, angle = 0;  // angle in radians
};

struct KernelEpoch {
  int64_t epoch = 0;  // 0: initialisation
  double similarity_to_first = 0, similarity_to_final = 0;
  double velocity = 0;  // 0 at epoch 0
  PolarCoordinates full, top, bottom;
  double top_mass = 0;
};

// One row per kernel, in order. At least two kernels; top_k in [1, n).
std::vector<KernelEpoch> kernel_dynamics(const std::vector<at::Tensor>& kernels, int64_t top_k);

// S(K_s, K_t) for every pair: [T+1, T+1].
at::Tensor kernel_similarity_matrix(const std::vector<at::Tensor>& kernels);

// The second half of training, epochs ⌊T/2⌋ + 1 .. T: a kernel that has gone lazy moves little
// per epoch there, and its spectrum is read as the mean over these epochs rather than at the
// last one alone (a single epoch's spectrum moves with the last SGD steps).
std::vector<KernelEpoch> late_epochs(const std::vector<KernelEpoch>& dynamics);

// The first epoch from which the velocity, averaged over the `window` epochs up to each (fewer at
// the start), stays below `threshold` to the end: the kernel has "gone lazy". The average keeps
// one noisy epoch of SGD from deciding it. The last epoch + 1 when it never does.
int64_t settling_epoch(const std::vector<KernelEpoch>& dynamics, double threshold, int64_t window = 1);

}  // namespace robustlab
