#pragma once
#include "studies/study.h"

namespace robustlab {

Schema feature_averaging_real_schema();
StudyResult run_feature_averaging_real(const Config& config, const RunContext& context);

}  // namespace robustlab
