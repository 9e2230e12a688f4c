// The data of "Why Clean Generalization and Robust Overfitting Both Happen in Adversarial
// Training" (Binghui Li, Yuanzhi Li): a binary label y = ±1 and P patches; one patch, at a random
// position, holds the signal α·y·w* (w* a unit vector), the other P − 1 hold noise
//     ξ_p ~ N(0, σ_p² (I − w* w*ᵀ)),
// orthogonal to the signal. With few training points (N of order 100) a wide enough network can
// fit every training point robustly by memorising its noise, while what generalises is w* alone.
#pragma once
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include "config/fields.h"
#include "data/dataset.h"

namespace robustlab {

struct SignalNoisePatchesOptions {
  int64_t patches = 8;  // P
  int64_t d = 100;      // patch dimension
  int64_t train_size = 100, test_size = 1000;
  double signal_strength = 1.0;  // α
  double noise_std = 0.2;        // σ_p, per coordinate

  void fields(Fields& f) {
    f.field("patches", patches, "P: patches per input", {2, 100000});
    f.field("d", d, "dimension of a patch", {2, 10000000});
    f.field("train_size", train_size, "N: training inputs", {1});
    f.field("test_size", test_size, "test inputs", {1});
    f.field("signal_strength", signal_strength, "alpha: the signal's size in its patch", {0});
    f.field("noise_std", noise_std, "sigma_p: noise per coordinate, orthogonal to w*", {0});
  }
};

struct SignalNoisePatches {
  Dataset train, test;          // inputs [n, P, d] float32; labels [n] int64 in {−1, +1}
  at::Tensor signal;            // [d]: w*
  at::Tensor train_signal_patch;  // [N] int64: the patch of each training input holding the signal
};

SignalNoisePatches make_signal_noise_patches(const SignalNoisePatchesOptions& options, at::Generator& generator);

}  // namespace robustlab
