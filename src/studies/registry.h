// Every study robustlab can run, by name. A study is one file of this folder (its options with
// the paper's defaults, its run, its claims) and one line in registry.cpp.
#pragma once
#include <string>
#include <vector>

#include "experiment/study.h"

namespace robustlab {

const std::vector<Study>& all_studies();
const Study& find_study(const std::string& name);  // UserError when unknown

}  // namespace robustlab
