// Inline SVG line charts of (x, y) series: ROC and precision-recall curves, calibration,
// cost against cutoff. Generic over plain arrays like the rest of report/.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace archml::report {

struct LineSeries {
  std::string name;
  std::vector<double> x;  // equal in length to y; a NaN in either breaks the line there
  std::vector<double> y;
  bool dashed = false;
  bool dots = false;  // a dot per point, for sparse series (calibration bins)
  bool line = true;   // false with dots draws a scatter plot
};

struct AxisRange {
  double min = 0;
  double max = 1;
};

// A labelled vertical line, e.g. the chosen cutoff on a cost curve.
struct VerticalMarker {
  double x = 0;
  std::string label;
};

struct LineChartOptions {
  int width = 440;
  int height = 260;
  std::string title;
  std::string x_label;
  std::string y_label;
  std::optional<AxisRange> x_range;  // default: the finite data's extent
  std::optional<AxisRange> y_range;
  bool identity_line = false;  // dashed y = x: chance for ROC, perfect calibration
  std::vector<VerticalMarker> markers;
};

// Series take colours in order (series_color); a legend appears under the plot when there
// is more than one series. Points outside the axis ranges are clamped to the plot edge.
std::string svg_line_chart(const std::vector<LineSeries>& series, const LineChartOptions& options);

}  // namespace archml::report
