// Warm start: the trials of earlier tuning jobs, read from their tuning_summary.json,
// become observations the strategy learns from before proposing anything. Failed trials
// are skipped; trials whose values fall outside the current ranges are dropped later by
// the tuner.
#pragma once

#include <filesystem>
#include <vector>

#include "archml/tune/tuner.h"

namespace archml::tune {

// Each path is an earlier job's output folder (or its tuning_summary.json). Throws
// archml::Error (not found / invalid) naming the file when one is missing or malformed,
// or when its objective metric differs from `objective_metric`.
std::vector<PriorTrial> load_prior_trials(const std::vector<std::filesystem::path>& parents,
                                          const std::string& objective_metric);

}  // namespace archml::tune
