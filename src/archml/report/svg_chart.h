// Small inline SVG charts for HTML reports: they take plain arrays and labels and know
// nothing about where the numbers came from. Output is an <svg> element without an
// XML namespace URL, so pages stay free of network references.
#pragma once

#include <string>
#include <vector>

namespace archml::report {

// One named sequence of values, drawn in its own colour (a legend appears when a chart
// has more than one).
struct Series {
  std::string name;
  std::vector<double> values;
};

struct ChartOptions {
  int width = 440;
  int height = 220;
  std::string title;
  std::string x_label;
  std::string y_label;
  bool log_y = false;  // log10(1 + y) bar heights: rare classes and long tails stay visible
};

// Horizontal bars, one group per label (value counts, feature importances).
std::string svg_bar_chart(const std::vector<std::string>& labels, const std::vector<Series>& series,
                          const ChartOptions& options);

// Vertical bars over bins; `edges` has one more entry than each series. Several series
// are overlaid translucently (e.g. one per class, normalised by the caller).
// `edge_labels` optionally replaces the formatted first/middle/last edge values.
std::string svg_histogram(const std::vector<double>& edges, const std::vector<Series>& series,
                          const ChartOptions& options,
                          const std::vector<std::string>& edge_labels = {});

// A square matrix of values in [-1, 1] (correlations) on a blue-white-red scale, each
// cell labelled with its value; NaN cells are grey and labelled "—".
std::string svg_heatmap(const std::vector<std::string>& labels,
                        const std::vector<std::vector<double>>& matrix,
                        const ChartOptions& options);

// The colour of the i-th series, shared so tables and charts can match.
const char* series_color(std::size_t index);

}  // namespace archml::report
