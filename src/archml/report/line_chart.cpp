#include "archml/report/line_chart.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "archml/report/format.h"
#include "archml/report/html.h"
#include "archml/report/svg_chart.h"
#include "archml/report/svg_elements.h"

namespace archml::report {
namespace {

constexpr int kTicks = 5;
constexpr double kLegendRowHeight = 16;

AxisRange data_extent(const std::vector<LineSeries>& series, bool use_x) {
  double low = std::numeric_limits<double>::infinity();
  double high = -low;
  for (const auto& s : series) {
    for (double v : use_x ? s.x : s.y) {
      if (!std::isfinite(v)) continue;
      low = std::min(low, v);
      high = std::max(high, v);
    }
  }
  if (!std::isfinite(low)) return {0, 1};
  // A flat series still needs a non-empty axis to divide by.
  if (high <= low) return {low - 0.5, high + 0.5};
  return {low, high};
}

// Maps data coordinates to pixels, clamping so stray points stay inside the frame.
struct Plot {
  double left, top, width, height;
  AxisRange x_range, y_range;

  double px(double x) const {
    double t = (x - x_range.min) / (x_range.max - x_range.min);
    return left + width * std::clamp(t, 0.0, 1.0);
  }
  double py(double y) const {
    double t = (y - y_range.min) / (y_range.max - y_range.min);
    return top + height * (1 - std::clamp(t, 0.0, 1.0));
  }
};

std::string axes(const Plot& plot, const LineChartOptions& options) {
  std::string out;
  for (int i = 0; i < kTicks; ++i) {
    double t = static_cast<double>(i) / (kTicks - 1);
    double x_value = plot.x_range.min + t * (plot.x_range.max - plot.x_range.min);
    double y_value = plot.y_range.min + t * (plot.y_range.max - plot.y_range.min);
    double x = plot.left + t * plot.width;
    double y = plot.top + (1 - t) * plot.height;
    out += svg::line(x, plot.top, x, plot.top + plot.height, "#eef0f2");
    out += svg::line(plot.left, y, plot.left + plot.width, y, "#eef0f2");
    out += svg::text(x, plot.top + plot.height + 13, format_number(x_value, 3), "middle");
    out += svg::text(plot.left - 4, y + 4, format_number(y_value, 3), "end");
  }
  out += svg::rect(plot.left, plot.top, plot.width, plot.height, "none", " stroke=\"#888\"");
  if (!options.x_label.empty())
    out += svg::text(plot.left + plot.width / 2, plot.top + plot.height + 28, options.x_label,
                     "middle", " fill=\"#555\"");
  if (!options.y_label.empty()) {
    double middle = plot.top + plot.height / 2;
    out += svg::text(12, middle, options.y_label, "middle",
                     " fill=\"#555\" transform=\"rotate(-90 12 " + svg::number(middle) + ")\"");
  }
  return out;
}

std::string polylines(const LineSeries& series, const Plot& plot, const std::string& color) {
  std::string out, points;
  const std::string style = " fill=\"none\" stroke=\"" + color + "\" stroke-width=\"1.8\"" +
                            (series.dashed ? " stroke-dasharray=\"5 3\"" : "");
  auto flush = [&] {
    if (points.empty()) return;
    out += "<polyline points=\"" + points + "\"" + style + "><title>" + escape_html(series.name) +
           "</title></polyline>";
    points.clear();
  };
  const std::size_t n = std::min(series.x.size(), series.y.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (!series.line || !std::isfinite(series.x[i]) || !std::isfinite(series.y[i])) {
      flush();
      continue;
    }
    if (!points.empty()) points += ' ';
    points += svg::number(plot.px(series.x[i])) + "," + svg::number(plot.py(series.y[i]));
  }
  flush();
  if (series.dots) {
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(series.x[i]) || !std::isfinite(series.y[i])) continue;
      out += "<circle cx=\"" + svg::number(plot.px(series.x[i])) + "\" cy=\"" +
             svg::number(plot.py(series.y[i])) + "\" r=\"3\" fill=\"" + color + "\"><title>" +
             escape_html(series.name + ": (" + format_number(series.x[i]) + ", " +
                         format_number(series.y[i]) + ")") +
             "</title></circle>";
    }
  }
  return out;
}

std::string markers(const Plot& plot, const std::vector<VerticalMarker>& markers) {
  std::string out;
  for (std::size_t i = 0; i < markers.size(); ++i) {
    double x = plot.px(markers[i].x);
    out += svg::line(x, plot.top, x, plot.top + plot.height, "#444", " stroke-dasharray=\"2 3\"");
    // Staggered so the labels of nearby markers do not overprint each other.
    double y = plot.top + 12 + 13.0 * static_cast<double>(i);
    bool right_half = x > plot.left + plot.width / 2;
    out += svg::text(right_half ? x - 3 : x + 3, y, markers[i].label, right_half ? "end" : "start",
                     " fill=\"#222\"");
  }
  return out;
}

}  // namespace

std::string svg_line_chart(const std::vector<LineSeries>& series, const LineChartOptions& options) {
  const bool legend = series.size() > 1;
  const double top = options.title.empty() ? 10 : 26;
  const double bottom = options.x_label.empty() ? 22 : 36;
  const double legend_height = legend ? kLegendRowHeight * static_cast<double>(series.size()) : 0;
  Plot plot{54,
            top,
            options.width - 54.0 - 14.0,
            options.height - top - bottom,
            options.x_range.value_or(data_extent(series, true)),
            options.y_range.value_or(data_extent(series, false))};
  const int height = static_cast<int>(options.height + legend_height);
  std::string out = svg::open(options.width, height);
  if (!options.title.empty())
    out += svg::text(4, 15, options.title, "start", " font-weight=\"bold\"");
  out += axes(plot, options);
  if (options.identity_line) {
    double low = std::max(plot.x_range.min, plot.y_range.min);
    double high = std::min(plot.x_range.max, plot.y_range.max);
    if (low < high)
      out += svg::line(plot.px(low), plot.py(low), plot.px(high), plot.py(high), "#999",
                       " stroke-dasharray=\"4 4\"");
  }
  for (std::size_t i = 0; i < series.size(); ++i)
    out += polylines(series[i], plot, series_color(i));
  out += markers(plot, options.markers);
  if (legend) {
    double y = options.height + 2;
    for (std::size_t i = 0; i < series.size(); ++i, y += kLegendRowHeight) {
      out += svg::line(plot.left, y - 4, plot.left + 18, y - 4, series_color(i),
                       std::string(" stroke-width=\"2\"") +
                           (series[i].dashed ? " stroke-dasharray=\"5 3\"" : ""));
      out += svg::text(plot.left + 24, y, series[i].name);
    }
  }
  out += "</svg>";
  return out;
}

}  // namespace archml::report
