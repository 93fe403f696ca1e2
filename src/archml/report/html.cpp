#include "archml/report/html.h"

#include <algorithm>

namespace archml::report {
namespace {

constexpr std::string_view kStyle = R"css(
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px;
       color: #1f2933; background: #fff; max-width: 1400px; }
h1 { font-size: 24px; margin-bottom: 4px; }
h2 { font-size: 19px; margin-top: 32px; border-bottom: 1px solid #d9dee3; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
p { margin: 6px 0; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0 12px; }
th, td { border: 1px solid #d9dee3; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f3f5f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.note { background: #fff6e0; border-left: 4px solid #e0a100; padding: 6px 10px; margin: 6px 0; }
.row { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.row > * { flex: 0 0 auto; }
svg { font-family: inherit; }
)css";

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string html_table(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows,
                       const std::vector<std::size_t>& numeric_columns) {
  auto is_numeric = [&](std::size_t i) {
    return std::find(numeric_columns.begin(), numeric_columns.end(), i) != numeric_columns.end();
  };
  std::string out = "<table><thead><tr>";
  for (const auto& cell : header) out += "<th>" + escape_html(cell) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (const auto& row : rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i)
      out += (is_numeric(i) ? "<td class=\"num\">" : "<td>") + escape_html(row[i]) + "</td>";
    out += "</tr>\n";
  }
  out += "</tbody></table>\n";
  return out;
}

HtmlPage::HtmlPage(std::string title) : title_(std::move(title)) {}

void HtmlPage::add_heading(std::string_view text, int level) {
  level = std::clamp(level, 1, 6);
  std::string tag = "h";
  tag += std::to_string(level);
  body_ += '<';
  body_ += tag;
  body_ += '>';
  body_ += escape_html(text);
  body_ += "</";
  body_ += tag;
  body_ += ">\n";
}

void HtmlPage::add_paragraph(std::string_view text) {
  body_ += "<p>" + escape_html(text) + "</p>\n";
}

void HtmlPage::add_note(std::string_view text) {
  body_ += "<div class=\"note\">" + escape_html(text) + "</div>\n";
}

void HtmlPage::add_html(std::string_view html) {
  body_ += html;
}

void HtmlPage::begin_row() {
  body_ += "<div class=\"row\">\n";
}
void HtmlPage::end_row() {
  body_ += "</div>\n";
}

std::string HtmlPage::str() const {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<title>" + escape_html(title_) + "</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<h1>" + escape_html(title_) + "</h1>\n";
  out += body_;
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace archml::report
