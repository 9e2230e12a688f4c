// The config keys of adversarial training (train/adversarial_training.h) under a prefix, with a
// study's defaults, and reading them back: `robustlab train` and every study that trains
// adversarially declare the same keys the same way.
#pragma once
#include <optional>
#include <string>

#include "config/config.h"
#include "train/adversarial_training.h"

namespace robustlab {

// PREFIX.method, .norm, .eps, .alpha, .steps, .warmup_epochs, .mix, .beta.
void add_adversarial_keys(Schema& schema, const std::string& prefix, const AdversarialTraining& defaults);

AdversarialTraining read_adversarial_keys(const Config& config, const std::string& prefix,
                                          const std::optional<Box>& box);

}  // namespace robustlab
