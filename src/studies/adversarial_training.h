#pragma once
#include "studies/study.h"

namespace robustlab {

Schema adversarial_training_schema();
StudyResult run_adversarial_training(const Config& config, const RunContext& context);

}  // namespace robustlab
