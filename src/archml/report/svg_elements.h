// The few SVG building blocks every chart in report/ draws with, so charts agree on
// number precision, font size and escaping, and no chart can emit unescaped text.
#pragma once

#include <string>

namespace archml::report::svg {

inline constexpr int kFontSize = 11;

// A coordinate with one decimal: sub-pixel precision is invisible and bloats pages.
std::string number(double value);
// Text content is escaped; `extra` is trusted attribute markup (leading space included).
std::string text(double x, double y, const std::string& content, const char* anchor = "start",
                 const std::string& extra = "");
// Negative sizes are drawn as zero. A non-empty `title` (escaped here) becomes the
// tooltip browsers show on hover.
std::string rect(double x, double y, double width, double height, const std::string& fill,
                 const std::string& extra = "", const std::string& title = "");
std::string line(double x1, double y1, double x2, double y2, const std::string& stroke,
                 const std::string& extra = "");
// An <svg> element without an XML namespace URL, so pages carry no network reference.
std::string open(int width, int height);

}  // namespace archml::report::svg
