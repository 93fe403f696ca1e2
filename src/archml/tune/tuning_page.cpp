#include "archml/tune/tuning_page.h"

#include <cmath>
#include <limits>
#include <map>

#include "archml/core/numbers.h"
#include "archml/report/format.h"
#include "archml/report/html.h"
#include "archml/report/line_chart.h"
#include "archml/report/svg_chart.h"

namespace archml::tune {
namespace {

using nlohmann::json;

using core::kNaN;

double number_at(const json& object, const char* key) {
  return object.contains(key) && object[key].is_number() ? object[key].get<double>() : kNaN;
}

std::string convergence_chart(const json& summary) {
  report::LineSeries each{"trial objective", {}, {}, false, true};
  each.line = false;
  report::LineSeries best{"best so far", {}, {}, false, false};
  for (const auto& point : summary["objective_over_time"]) {
    const double seconds = number_at(point, "end_seconds");
    each.x.push_back(seconds);
    each.y.push_back(number_at(point, "objective"));
    best.x.push_back(seconds);
    best.y.push_back(number_at(point, "best_so_far"));
  }
  report::LineChartOptions options;
  options.width = 560;
  options.title = "Convergence";
  options.x_label = "seconds since the job started";
  options.y_label = summary["objective"].value("metric", "objective");
  return report::svg_line_chart({each, best}, options);
}

std::string scatter_chart(const json& summary, const json& range) {
  const std::string name = range.value("name", "");
  const bool categorical = range.value("type", "") == "categorical";
  const bool logarithmic = range.value("scaling", "") == "Logarithmic";
  std::vector<std::string> categories;
  if (categorical)
    for (const auto& value : range["values"]) categories.push_back(value.get<std::string>());
  report::LineSeries points{name, {}, {}, false, true};
  points.line = false;
  for (const auto& trial : summary["trials"]) {
    const double objective = number_at(trial, "objective");
    if (!std::isfinite(objective) || !trial["parameters"].contains(name)) continue;
    const std::string text = trial["parameters"][name].get<std::string>();
    double x = kNaN;
    if (categorical) {
      for (std::size_t i = 0; i < categories.size(); ++i)
        if (categories[i] == text) x = static_cast<double>(i);
    } else {
      x = std::strtod(text.c_str(), nullptr);
      if (logarithmic) x = x > 0 ? std::log10(x) : kNaN;
    }
    points.x.push_back(x);
    points.y.push_back(objective);
  }
  report::LineChartOptions options;
  options.width = 340;
  options.height = 230;
  options.title = name;
  options.x_label = categorical   ? "category index (see the table)"
                    : logarithmic ? "log10 of " + name
                                  : name;
  options.y_label = "objective";
  return report::svg_line_chart({points}, options);
}

std::string trials_table(const json& summary) {
  std::vector<std::string> header = {"trial", "status", "objective", "steps", "seconds"};
  for (const auto& range : summary["parameter_ranges"]) header.push_back(range.value("name", ""));
  header.push_back("note");
  std::vector<std::vector<std::string>> rows;
  for (const auto& trial : summary["trials"]) {
    std::vector<std::string> row = {std::to_string(trial.value("number", 0)),
                                    trial.value("status", ""),
                                    report::format_number(number_at(trial, "objective"), 5),
                                    std::to_string(trial.value("steps", 0)),
                                    report::format_number(number_at(trial, "seconds"), 3)};
    for (const auto& range : summary["parameter_ranges"]) {
      const std::string name = range.value("name", "");
      row.push_back(
          trial["parameters"].contains(name) ? trial["parameters"][name].get<std::string>() : "");
    }
    row.push_back(trial.value("failure_reason", ""));
    rows.push_back(std::move(row));
  }
  return report::html_table(header, rows, {0, 2, 3, 4});
}

}  // namespace

std::string tuning_page_html(const json& summary) {
  const std::string metric = summary["objective"].value("metric", "objective");
  report::HtmlPage page("archml tuning: " + summary["objective"].value("type", "") + " " + metric);
  const auto& counts = summary["trial_counts"];
  page.add_paragraph("Strategy " + summary.value("strategy", "") + "; " +
                     std::to_string(summary["trials"].size()) + " trials (" +
                     std::to_string(counts.value("Completed", 0)) + " completed, " +
                     std::to_string(counts.value("Stopped", 0)) + " stopped early, " +
                     std::to_string(counts.value("Failed", 0)) + " failed) in " +
                     report::format_number(number_at(summary, "seconds"), 3) +
                     " s; ended: " + summary.value("end_reason", "") + ".");
  const json& best = summary["best_trial"];
  if (best.is_object()) {
    std::vector<std::vector<std::string>> rows = {
        {"trial", std::to_string(best.value("number", 0))},
        {metric, report::format_number(number_at(best, "objective"), 6)}};
    for (const auto& [name, value] : best["parameters"].items())
      rows.push_back({name, value.get<std::string>()});
    page.add_heading("Best trial");
    page.add_html(report::html_table({"", "value"}, rows));
  } else {
    page.add_note("No trial produced an objective value; see the failure reasons below.");
  }
  page.add_heading("Objective over time");
  page.add_html(convergence_chart(summary));
  page.add_heading("Objective by parameter");
  page.begin_row();
  for (const auto& range : summary["parameter_ranges"])
    page.add_html(scatter_chart(summary, range));
  page.end_row();
  page.add_heading("Trials, best first");
  page.add_html(trials_table(summary));
  return page.str();
}

}  // namespace archml::tune
