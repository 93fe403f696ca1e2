// The self-contained HTML page of a tuning job (OUT/tuning.html), drawn from its summary
// JSON (tuning_summary.h): the best trial, a convergence chart (each trial's objective and
// the best so far against time), one scatter plot per parameter (objective against the
// parameter's value, log axis where the range is logarithmic), and the table of trials.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace archml::tune {

std::string tuning_page_html(const nlohmann::json& summary);

}  // namespace archml::tune
