// The profile as a self-contained HTML page: overview, warnings, describe table, target
// classes, per-class statistics, correlation heatmap and a chart per column.
// Rendering only; the numbers come from compute_profile.
#pragma once

#include <string>

#include "archml/data/profile.h"

namespace archml::data {

// `title` heads the page (e.g. the profiled file's name).
std::string render_profile_html(const Profile& profile, const std::string& title);

}  // namespace archml::data
