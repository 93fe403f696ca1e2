#include "archml/report/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "archml/report/format.h"
#include "archml/report/html.h"
#include "archml/report/svg_elements.h"

namespace archml::report {
namespace {

constexpr const char* kPalette[] = {"#3b6ea5", "#d1495b", "#edae49", "#00798c",
                                    "#66a182", "#8d6a9f", "#2e4057", "#c3834c"};
using svg::rect;
using svg::text;
std::string num(double value) {
  return svg::number(value);
}
std::string open_svg(int width, int height) {
  return svg::open(width, height);
}

double scaled(double value, bool log_y) {
  if (std::isnan(value) || value <= 0) return 0;
  return log_y ? std::log10(1 + value) : value;
}

std::string legend(const std::vector<Series>& series, double x, double y) {
  if (series.size() < 2) return "";
  std::string out;
  for (std::size_t i = 0; i < series.size(); ++i) {
    out += rect(x, y + i * 14 - 9, 10, 10, series_color(i));
    out += text(x + 14, y + i * 14, series[i].name);
  }
  return out;
}

}  // namespace

const char* series_color(std::size_t index) {
  return kPalette[index % (sizeof kPalette / sizeof kPalette[0])];
}

std::string svg_bar_chart(const std::vector<std::string>& labels, const std::vector<Series>& series,
                          const ChartOptions& options) {
  const double label_width = 130, right_margin = 60, top = options.title.empty() ? 8 : 24;
  const double group_height = std::max<double>(14, 10.0 * series.size() + 4);
  const int height = static_cast<int>(top + group_height * labels.size() + 8 +
                                      (series.size() > 1 ? 14.0 * series.size() : 0));
  const double plot_width = options.width - label_width - right_margin;
  double largest = 0;
  for (const auto& s : series)
    for (double v : s.values) largest = std::max(largest, scaled(v, options.log_y));
  std::string out = open_svg(options.width, height);
  if (!options.title.empty()) out += text(4, 15, options.title, "start", " font-weight=\"bold\"");
  const double bar_height = (group_height - 4) / std::max<std::size_t>(1, series.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    double y = top + group_height * i;
    std::string label = labels[i].size() > 20 ? labels[i].substr(0, 19) + "…" : labels[i];
    out += text(label_width - 6, y + group_height / 2 + 3, label, "end");
    for (std::size_t s = 0; s < series.size(); ++s) {
      double value = i < series[s].values.size() ? series[s].values[i] : 0;
      double width = largest > 0 ? plot_width * scaled(value, options.log_y) / largest : 0;
      double bar_y = y + 2 + bar_height * s;
      out += rect(label_width, bar_y, width, bar_height - 1, series_color(s), "",
                  labels[i] + ": " + format_number(value));
      out += text(label_width + width + 4, bar_y + bar_height - 2, format_number(value));
    }
  }
  out += legend(series, label_width, top + group_height * labels.size() + 14);
  out += "</svg>";
  return out;
}

std::string svg_histogram(const std::vector<double>& edges, const std::vector<Series>& series,
                          const ChartOptions& options,
                          const std::vector<std::string>& edge_labels) {
  const double left = 48, right = 12, top = options.title.empty() ? 10 : 26, bottom = 34;
  const double plot_width = options.width - left - right;
  const double plot_height = options.height - top - bottom;
  const std::size_t bins = edges.size() > 1 ? edges.size() - 1 : 0;
  double largest = 0;
  for (const auto& s : series)
    for (double v : s.values) largest = std::max(largest, scaled(v, options.log_y));
  std::string out = open_svg(options.width, options.height);
  if (!options.title.empty()) out += text(4, 15, options.title, "start", " font-weight=\"bold\"");
  out += "<line x1=\"" + num(left) + "\" y1=\"" + num(top + plot_height) + "\" x2=\"" +
         num(left + plot_width) + "\" y2=\"" + num(top + plot_height) + "\" stroke=\"#888\"/>";
  const double bar_width = bins ? plot_width / static_cast<double>(bins) : 0;
  const char* opacity = series.size() > 1 ? " fill-opacity=\"0.55\"" : "";
  auto bin_title = [&](std::size_t b, double value) {
    std::string title = "[";
    title += format_number(edges[b]);
    title += ", ";
    title += format_number(edges[b + 1]);
    title += "): ";
    title += format_number(value);
    return title;
  };
  for (std::size_t s = 0; s < series.size(); ++s) {
    for (std::size_t b = 0; b < bins && b < series[s].values.size(); ++b) {
      double value = series[s].values[b];
      double height = largest > 0 ? plot_height * scaled(value, options.log_y) / largest : 0;
      out +=
          rect(left + bar_width * b + 0.5, top + plot_height - height, std::max(1.0, bar_width - 1),
               height, series_color(s), opacity, bin_title(b, value));
    }
  }
  // Axis labels: first, middle and last edge; the y maximum.
  if (bins > 0) {
    auto edge_text = [&](std::size_t i, std::size_t which) {
      return which < edge_labels.size() ? edge_labels[which] : format_number(edges[i]);
    };
    double baseline = top + plot_height + 13;
    out += text(left, baseline, edge_text(0, 0), "start");
    out += text(left + plot_width / 2, baseline, edge_text(bins / 2, 1), "middle");
    out += text(left + plot_width, baseline, edge_text(bins, 2), "end");
  }
  double y_max = options.log_y ? std::pow(10.0, largest) - 1 : largest;
  out += text(left - 4, top + 8, format_number(y_max, 3), "end");
  out += text(left - 4, top + plot_height, "0", "end");
  if (!options.x_label.empty())
    out += text(left + plot_width / 2, options.height - 4, options.x_label, "middle",
                " fill=\"#555\"");
  if (!options.y_label.empty())
    out += text(12, top + plot_height / 2, options.y_label, "middle",
                " fill=\"#555\" transform=\"rotate(-90 12 " + num(top + plot_height / 2) + ")\"");
  out += legend(series, options.width - 120, top + 10);
  out += "</svg>";
  return out;
}

std::string svg_heatmap(const std::vector<std::string>& labels,
                        const std::vector<std::vector<double>>& matrix,
                        const ChartOptions& options) {
  const std::size_t n = labels.size();
  const double label_space = 120, top = (options.title.empty() ? 8 : 26) + label_space;
  const double cell =
      n ? std::clamp((options.width - label_space - 8) / static_cast<double>(n), 18.0, 56.0) : 0;
  const int width = static_cast<int>(label_space + cell * n + 8);
  const int height = static_cast<int>(top + cell * n + 8);
  std::string out = open_svg(width, height);
  if (!options.title.empty()) out += text(4, 15, options.title, "start", " font-weight=\"bold\"");
  auto color = [](double v) {
    if (std::isnan(v)) return std::string("#d0d0d0");
    v = std::clamp(v, -1.0, 1.0);
    // White at 0, towards red (+1) or blue (-1).
    int r = v < 0 ? static_cast<int>(255 + v * (255 - 59)) : 255;
    int g = static_cast<int>(255 - std::fabs(v) * (255 - (v < 0 ? 110 : 73)));
    int b = v > 0 ? static_cast<int>(255 - v * (255 - 91)) : 255;
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", r, g, b);
    return std::string(buffer);
  };
  for (std::size_t i = 0; i < n; ++i) {
    std::string label = labels[i].size() > 18 ? labels[i].substr(0, 17) + "…" : labels[i];
    out += text(label_space - 6, top + cell * i + cell / 2 + 4, label, "end");
    double x = label_space + cell * i + cell / 2;
    out += text(x, top - 6, label, "start",
                " transform=\"rotate(-60 " + num(x) + " " + num(top - 6) + ")\"");
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n && j < matrix[i].size(); ++j) {
      double v = matrix[i][j];
      double x = label_space + cell * j, y = top + cell * i;
      std::string value_text = std::isnan(v) ? "—" : format_number(v, 2);
      out += rect(x, y, cell - 1, cell - 1, color(v), "",
                  labels[i] + " × " + labels[j] + ": " + value_text);
      if (cell >= 26)
        out += text(x + cell / 2, y + cell / 2 + 4, value_text, "middle",
                    std::fabs(v) > 0.6 ? " fill=\"#fff\"" : "");
    }
  }
  out += "</svg>";
  return out;
}

}  // namespace archml::report
