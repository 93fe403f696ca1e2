// The record of a tuning job as JSON (OUT/tuning_summary.json, docs/tuning.md): every
// trial sorted by objective (best first, failed last) with its parameters, status,
// per-step values and duration; the best trial; and the best objective over time. Warm
// start (warm_start.h) and the HTML page (tuning_page.h) read this same document.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "archml/tune/search_space.h"
#include "archml/tune/tuner.h"

namespace archml::tune {

struct SummaryContext {
  std::string objective_metric;
  Direction direction = Direction::kMaximize;
  StrategyKind strategy = StrategyKind::kBayesian;
  std::filesystem::path out_dir;  // trial directories are written relative to it
};

nlohmann::json tuning_summary_json(const TuningResult& result, const SearchSpace& space,
                                   const SummaryContext& context);

}  // namespace archml::tune
