// `robustlab sweep report DIR`: the grid's results as one report, drawn by the same kit as a
// run's (experiment/, report/): every metric against every axis, one line per value of the other
// axes, the mean over seeds with a ±1 sd band; tables of the same; each claim as "holds on k/n
// cells". Written as DIR/report, itself an ordinary run directory.
#pragma once
#include <string>

#include "experiment/result.h"
#include "sweep/store.h"
#include "sweep/sweep_file.h"

namespace robustlab {

// The report as a result: tables "metrics" (axes, model, metric -> mean, sd, min, max over
// seeds), "claims" and "cells"; one figure per model metric and axis (only those whose names
// contain `metric_filter`, when it is not empty).
StudyResult sweep_result(const SweepSpec& spec, const SweepStore& store, const std::string& metric_filter);

}  // namespace robustlab
