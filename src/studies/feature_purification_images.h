// The real-image part of the feature-purification study (images.*): an MLP trained cleanly on
// Fashion-MNIST (CIFAR-10 or MNIST from data.root), then adversarially from the clean weights;
// its first-layer weights before and after as pictures, the decomposition w_i = β_i w_i′ + v_i per
// neuron, the share of each weight's energy at high spatial frequencies before and after, and how
// much of the update W′ − W its top singular directions hold.
#pragma once
#include "experiment/claims.h"
#include "experiment/image_task.h"
#include "experiment/result.h"
#include "probes/purification.h"

namespace robustlab {

struct PurificationImagesVerify {
  double min_robust = 0.5;
  double min_clean = 0.7;
  double min_purified_share = 0.5;

  void fields(Fields& f) {
    f.field("min_robust", min_robust, "adversarially trained MLP: robust accuracy at eps at least", {0, 1});
    f.field("min_clean", min_clean, "adversarially trained MLP: clean accuracy at least", {0, 1});
    f.field("min_purified_share", min_purified_share, "share of neurons with |v_i| < |beta_i w_i'| at least", {0, 1});
  }
};

struct PurificationImages {
  bool enabled = true;
  ImageTraining image;  // the clean training; image.adversarial the adversarial one
  int64_t adversarial_epochs = 10;
  int64_t shown_neurons = 8;
  int64_t top_directions = 5;
  double high_frequency = 0.25;
  int pgd_steps = 10;
  PurificationImagesVerify verify;

  static PurificationImages paper();
  void fields(Fields& f);
  void check() const;  // UserError for a config that cannot run
  Workload workload() const { return image.workload(); }
};

// The share of neurons with |v_i| < |β_i w_i′| (clean training had already found most of each),
// with its sampling error over the neurons: read by the synthetic and the image part alike.
inline Estimate purified_share(const Purification& p) {
  return proportion((p.ratio < 1).to(torch::kFloat64).mean().item<double>(), p.ratio.numel());
}

// Trains, probes and adds the part's tables, figures and claims to `result`.
void run_purification_images(const PurificationImages& options, const RunContext& context, StudyResult& result);

}  // namespace robustlab
