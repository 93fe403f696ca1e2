#include "archml/report/line_chart.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace archml::report {
namespace {

std::size_t occurrences(const std::string& haystack, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1))
    ++count;
  return count;
}

TEST(LineChart, DrawsOnePolylinePerSeriesAndALegend) {
  std::string svg =
      svg_line_chart({{"model", {0, 0.5, 1}, {0, 0.8, 1}}, {"chance", {0, 1}, {0, 1}, true}}, {});
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_EQ(occurrences(svg, "<polyline"), 2u);
  EXPECT_EQ(occurrences(svg, "stroke-dasharray=\"5 3\""), 2u) << "dashed line and its legend";
  EXPECT_NE(svg.find(">chance</text>"), std::string::npos);
  EXPECT_EQ(svg.find("http"), std::string::npos);
}

TEST(LineChart, NanBreaksTheLine) {
  std::string svg = svg_line_chart({{"s", {0, 1, 2, 3}, {1, NAN, 2, 3}}}, {});
  EXPECT_EQ(occurrences(svg, "<polyline"), 2u);
}

TEST(LineChart, FixedRangesClampPointsIntoThePlot) {
  LineChartOptions options;
  options.width = 200;
  options.height = 100;
  options.x_range = options.y_range = AxisRange{0, 1};
  std::string svg = svg_line_chart({{"s", {-5, 5}, {-5, 5}}}, options);
  // Plot spans x 54..186 and y 10..78 for this size without title or axis labels.
  EXPECT_NE(svg.find("points=\"54.0,78.0 186.0,10.0\""), std::string::npos) << svg;
}

TEST(LineChart, MarkersIdentityLineAndDotsAreDrawnAndEscaped) {
  LineChartOptions options;
  options.identity_line = true;
  options.markers = {{0.3, "chosen <0.3>"}};
  std::string svg = svg_line_chart({{"bins", {0.1, 0.5}, {0.2, 0.4}, false, true}}, options);
  EXPECT_EQ(occurrences(svg, "<circle"), 2u);
  EXPECT_NE(svg.find("chosen &lt;0.3&gt;"), std::string::npos);
  EXPECT_EQ(occurrences(svg, "stroke-dasharray=\"2 3\""), 1u);
  EXPECT_EQ(occurrences(svg, "stroke-dasharray=\"4 4\""), 1u);
}

TEST(LineChart, EmptySeriesStillRendersAxes) {
  std::string svg = svg_line_chart({}, {});
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_EQ(svg.find("<polyline"), std::string::npos);
}

}  // namespace
}  // namespace archml::report
