#include "archml/monitor/monitor_report.h"

#include <algorithm>
#include <cstdio>

#include "archml/report/html.h"
#include "archml/report/svg_chart.h"

namespace archml::monitor {
namespace {

// Shares of `sample` (sorted) in the buckets between `edges`.
std::vector<double> bucket_shares(const std::vector<double>& sample,
                                  const std::vector<double>& edges) {
  std::vector<double> shares(edges.size() - 1, 0.0);
  if (sample.empty()) return shares;
  for (std::size_t b = 0; b + 1 < edges.size(); ++b) {
    const bool last = b + 2 == edges.size();
    const double below = b == 0 ? 0.0 : sample_cdf(sample, edges[b]);
    // Values outside the baseline's range fall into its first and last buckets.
    const double upto = last ? 1.0 : sample_cdf(sample, edges[b + 1]);
    shares[b] = upto - below;
  }
  return shares;
}

std::string numeric_chart(const FeatureStatistics& base, const FeatureStatistics& live) {
  std::vector<double> edges;
  for (const auto& bucket : base.buckets) edges.push_back(bucket.lower_bound);
  if (!base.buckets.empty()) edges.push_back(base.buckets.back().upper_bound);
  if (edges.size() < 2) return {};
  report::ChartOptions options;
  options.title = base.name;
  options.y_label = "share";
  return report::svg_histogram(edges,
                               {{"baseline", bucket_shares(base.sketch, edges)},
                                {"live", bucket_shares(live.sketch, edges)}},
                               options);
}

std::string category_chart(const FeatureStatistics& base, const FeatureStatistics& live) {
  std::vector<std::string> labels;
  std::vector<double> base_shares;
  std::vector<double> live_shares;
  auto share_of = [](const FeatureStatistics& feature, const std::string& value) {
    for (const auto& [v, count] : feature.categories)
      if (v == value)
        return static_cast<double>(count) /
               static_cast<double>(std::max<std::uint64_t>(1, feature.num_present));
    return 0.0;
  };
  for (const auto& [value, count] : base.categories) {
    if (labels.size() >= 12) break;
    labels.push_back(value);
  }
  for (const auto& [value, count] : live.categories)
    if (labels.size() < 16 && std::find(labels.begin(), labels.end(), value) == labels.end())
      labels.push_back(value);
  for (const auto& label : labels) {
    base_shares.push_back(share_of(base, label));
    live_shares.push_back(share_of(live, label));
  }
  report::ChartOptions options;
  options.title = base.name;
  options.x_label = "share";
  return report::svg_bar_chart(labels, {{"baseline", base_shares}, {"live", live_shares}}, options);
}

std::string format(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

}  // namespace

std::string monitor_report_html(const ReportContext& context, const DatasetStatistics& baseline,
                                const DatasetStatistics& live, const CheckResult& result) {
  report::HtmlPage page(context.title);
  page.add_paragraph("Capture: " + context.capture + ". Baseline: " + context.baseline + ". " +
                     std::to_string(context.records) + " captured requests, " +
                     std::to_string(live.item_count) + " rows, " +
                     std::to_string(context.failed_records) + " requests that could not be read.");
  page.add_heading("Violations");
  if (result.violations.empty()) {
    page.add_paragraph("No violation.");
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& v : result.violations)
      rows.push_back({v.feature_name, v.constraint_check_type, v.description});
    page.add_html(report::html_table({"feature", "check", "description"}, rows));
  }
  page.add_heading("Drift");
  std::vector<std::vector<std::string>> rows;
  for (const auto& drift : result.drifts)
    rows.push_back({drift.feature_name, format(drift.distance), format(drift.threshold),
                    std::to_string(drift.live_count),
                    drift.distance > drift.threshold ? "drift" : "ok"});
  page.add_html(
      report::html_table({"feature", "distance", "threshold", "live values", ""}, rows, {1, 2, 3}));
  page.add_heading("Distributions: baseline and live");
  page.begin_row();
  for (const auto& base : baseline.features) {
    const FeatureStatistics* live_feature = live.find(base.name);
    if (live_feature == nullptr) continue;
    page.add_html(base.inferred_type == InferredType::kString ? category_chart(base, *live_feature)
                                                              : numeric_chart(base, *live_feature));
  }
  page.end_row();
  return page.str();
}

}  // namespace archml::monitor
