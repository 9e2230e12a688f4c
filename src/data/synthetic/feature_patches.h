// The data of "Adversarial Training Can Provably Improve Robustness: Feature Learning under
// Structured Data" (Binghui Li, Yuanzhi Li): an input is P patches X = (X_1, ..., X_P), X_p ∈ R^d.
// Class y ∈ {0, ..., k−1} has a robust feature u_y and a non-robust feature v_y, the 2k of them
// orthonormal. The robust feature is sparse and strong: one patch, at a random position, holds
// α_u·u_y, and u_y itself is supported on s coordinates (s of the d, ±1/√s, disjoint between
// classes); the non-robust one is dense and weak: every other patch holds α_v·v_y, v_y a random
// unit vector (orthogonal to the u's). Every patch also holds Gaussian noise orthogonal to all 2k
// features, σ per coordinate:
//     X_p = α_u u_y + ξ_p  (p = the robust patch),      X_p = α_v v_y + ξ_p  (the others).
// Under an ℓ∞ budget ε per coordinate, a patch's feature of size α along a unit vector f can be
// cancelled exactly when ε‖f‖₁ ≥ α, and ε‖f‖₁ of f can be added to every patch: ‖v‖₁ ≈ 0.8√d
// makes v erasable, ‖u‖₁ = √s keeps u from being erased or planted.
#pragma once
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include "config/fields.h"
#include "data/dataset.h"

namespace robustlab {

struct FeaturePatchesOptions {
  int64_t k = 4;           // classes
  int64_t patches = 16;    // P
  int64_t d = 64;          // patch dimension
  int64_t train_size = 400, test_size = 1000;
  int64_t robust_support = 1;       // s: coordinates of each u_y
  double robust_strength = 1.5;     // α_u
  double nonrobust_strength = 1.0;  // α_v
  double noise_std = 0.1;           // σ, per coordinate (orthogonal to the features)

  void fields(Fields& f) {
    f.field("k", k, "classes", {2, 1000});
    f.field("patches", patches, "P: patches per input", {2, 100000});
    f.field("d", d, "dimension of a patch (2k <= d)", {2, 10000000});
    f.field("train_size", train_size, "training inputs", {1});
    f.field("test_size", test_size, "test inputs", {1});
    f.field("robust_support", robust_support, "s: coordinates each robust feature u_y is supported on", {1});
    f.field("robust_strength", robust_strength, "alpha_u: the robust feature's size in its one patch", {0});
    f.field("nonrobust_strength", nonrobust_strength, "alpha_v: the non-robust feature's size in every other patch", {0});
    f.field("noise_std", noise_std, "sigma: Gaussian noise per coordinate, orthogonal to the features", {0});
  }
};

struct FeaturePatches {
  Dataset train, test;              // inputs [n, P, d] float32; labels [n] int64 class indices
  at::Tensor robust_features;       // [k, d]: u_y
  at::Tensor nonrobust_features;    // [k, d]: v_y
};

FeaturePatches make_feature_patches(const FeaturePatchesOptions& options, at::Generator& generator);

}  // namespace robustlab
