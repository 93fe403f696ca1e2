#include "archml/report/svg_elements.h"

#include <algorithm>
#include <cstdio>

#include "archml/report/html.h"

namespace archml::report::svg {

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  return buffer;
}

std::string text(double x, double y, const std::string& content, const char* anchor,
                 const std::string& extra) {
  return "<text x=\"" + number(x) + "\" y=\"" + number(y) + "\" font-size=\"" +
         std::to_string(kFontSize) + "\" text-anchor=\"" + anchor + "\"" + extra + ">" +
         escape_html(content) + "</text>";
}

std::string rect(double x, double y, double width, double height, const std::string& fill,
                 const std::string& extra, const std::string& title) {
  std::string out = "<rect x=\"" + number(x) + "\" y=\"" + number(y) + "\" width=\"" +
                    number(std::max(0.0, width)) + "\" height=\"" + number(std::max(0.0, height)) +
                    "\" fill=\"" + fill + "\"" + extra;
  if (title.empty()) return out + "/>";
  return out + "><title>" + escape_html(title) + "</title></rect>";
}

std::string line(double x1, double y1, double x2, double y2, const std::string& stroke,
                 const std::string& extra) {
  return "<line x1=\"" + number(x1) + "\" y1=\"" + number(y1) + "\" x2=\"" + number(x2) +
         "\" y2=\"" + number(y2) + "\" stroke=\"" + stroke + "\"" + extra + "/>";
}

std::string open(int width, int height) {
  return "<svg width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) +
         "\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
         "\" role=\"img\">";
}

}  // namespace archml::report::svg
