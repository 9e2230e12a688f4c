#pragma once
#include "studies/study.h"

namespace robustlab {

Schema feature_averaging_schema();
StudyResult run_feature_averaging(const Config& config, const RunContext& context);

}  // namespace robustlab
