// Self-contained HTML pages for reports (profile, evaluation, tuning): one file with
// inline CSS and inline SVG, no scripts and no network references, so it opens from
// disk, survives being mailed, and can be archived as an artifact.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace archml::report {

// Escapes &, <, >, " and ' for text and attribute values.
std::string escape_html(std::string_view text);

// A table of text cells (escaped here). Cells of columns listed in `numeric_columns`
// are right-aligned, as numbers should be.
std::string html_table(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows,
                       const std::vector<std::size_t>& numeric_columns = {});

// A page assembled from sections of trusted HTML (charts, tables, escaped text).
class HtmlPage {
 public:
  explicit HtmlPage(std::string title);

  void add_heading(std::string_view text, int level = 2);  // text is escaped
  void add_paragraph(std::string_view text);               // text is escaped
  void add_note(std::string_view text);                    // a highlighted warning box
  void add_html(std::string_view html);                    // trusted markup as is
  // Starts and ends a flex row, so charts and tables sit side by side when they fit.
  void begin_row();
  void end_row();

  std::string str() const;

 private:
  std::string title_;
  std::string body_;
};

}  // namespace archml::report
