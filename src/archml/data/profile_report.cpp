#include "archml/data/profile_report.h"

#include <cmath>

#include "archml/report/format.h"
#include "archml/report/html.h"
#include "archml/report/svg_chart.h"

namespace archml::data {
namespace {

using report::format_count;
using report::format_number;
using report::format_percent;

// Charts per column stop after this many columns (the target's is always drawn), so a
// table of thousands of columns still makes a page a browser opens.
constexpr std::size_t kMaxChartColumns = 100;
// Names listed in a note about what was left out.
constexpr std::size_t kNamesShown = 20;

// "a, b, c and 12 more".
std::string first_names(const std::vector<std::string>& names, std::size_t shown) {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < shown; ++i) text += (i ? ", " : "") + names[i];
  if (names.size() > shown) text += " and " + std::to_string(names.size() - shown) + " more";
  return text;
}

std::vector<double> as_doubles(const std::vector<std::uint64_t>& counts) {
  return std::vector<double>(counts.begin(), counts.end());
}

// Each class as a share of its own rows, so a 0.1 % class is as visible as the rest.
std::vector<report::Series> class_shares(const Histogram& histogram, const Profile& profile) {
  std::vector<report::Series> series;
  for (std::size_t c = 0; c < histogram.by_class.size(); ++c) {
    double total = 0;
    for (auto count : histogram.by_class[c]) total += static_cast<double>(count);
    report::Series s{profile.target + " = " + profile.classes[c], {}};
    for (auto count : histogram.by_class[c])
      s.values.push_back(total > 0 ? static_cast<double>(count) / total : 0);
    series.push_back(std::move(s));
  }
  return series;
}

std::vector<std::string> log_edge_labels(const Histogram& histogram) {
  auto value = [&](std::size_t i) {
    return format_number(std::pow(10.0, histogram.edges[i]) - 1, 3);
  };
  std::size_t bins = histogram.edges.size() - 1;
  return {value(0), value(bins / 2), value(bins)};
}

void add_overview(report::HtmlPage& page, const Profile& profile) {
  std::size_t numeric = 0;
  std::uint64_t missing_cells = 0, columns_with_missing = 0;
  for (const auto& column : profile.columns) {
    numeric += column.numeric.has_value();
    missing_cells += column.missing;
    columns_with_missing += column.missing > 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {"rows", format_count(profile.rows)},
      {"columns", std::to_string(profile.columns.size()) + " (" + std::to_string(numeric) +
                      " numeric, " + std::to_string(profile.columns.size() - numeric) +
                      " categorical)"},
      {"missing cells",
       format_count(missing_cells) + " in " + std::to_string(columns_with_missing) + " columns"},
      {"target", profile.target.empty() ? "(none)" : profile.target}};
  page.add_html(report::html_table({"", ""}, rows));
  if (!profile.warnings.empty()) {
    page.add_heading("Warnings");
    for (const auto& warning : profile.warnings)
      page.add_note(warning.kind + ": " + warning.message);
  }
}

void add_describe(report::HtmlPage& page, const Profile& profile) {
  page.add_heading("Columns");
  std::vector<std::vector<std::string>> rows;
  for (const auto& column : profile.columns) {
    std::vector<std::string> row = {column.name, std::string(to_string(column.type)),
                                    format_count(column.count), format_count(column.missing)};
    if (column.numeric) {
      const auto& s = *column.numeric;
      for (double v : {s.mean, s.std, s.min, s.p25, s.p50, s.p75, s.max})
        row.push_back(format_number(v));
      row.push_back("");
    } else {
      for (int i = 0; i < 7; ++i) row.emplace_back("");
      const auto& s = *column.categorical;
      std::string top =
          s.top.empty() ? "" : s.top.front().value + " (" + format_count(s.top.front().count) + ")";
      row.push_back(format_count(s.distinct) + " distinct; top " + top);
    }
    rows.push_back(std::move(row));
  }
  page.add_html(report::html_table({"column", "type", "count", "missing", "mean", "std", "min",
                                    "25%", "50%", "75%", "max", "values"},
                                   rows, {2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

void add_target(report::HtmlPage& page, const Profile& profile) {
  if (profile.target.empty()) return;
  page.add_heading("Target: " + profile.target);
  if (!profile.target_is_classes) {
    page.add_paragraph(
        "Continuous target (too many distinct values for classes); see its column "
        "below.");
    return;
  }
  std::uint64_t labelled = 0;
  for (auto count : profile.class_counts) labelled += count;
  std::vector<std::vector<std::string>> rows;
  for (std::size_t c = 0; c < profile.classes.size(); ++c)
    rows.push_back({profile.classes[c], format_count(profile.class_counts[c]),
                    format_percent(double(profile.class_counts[c]) / double(labelled))});
  if (profile.target_missing > 0)
    rows.push_back({"(missing)", format_count(profile.target_missing), ""});
  page.begin_row();
  page.add_html(report::html_table({"class", "rows", "share"}, rows, {1, 2}));
  report::ChartOptions options;
  options.title = "rows per class (log scale)";
  options.log_y = true;
  page.add_html(report::svg_bar_chart(profile.classes, {{"rows", as_doubles(profile.class_counts)}},
                                      options));
  page.end_row();
  if (!profile.target_encoding.empty())
    page.add_paragraph("For correlations the target is encoded " + profile.target_encoding + ".");

  page.add_heading("Numeric features by class (mean / std / max)", 3);
  std::vector<std::string> header = {"feature"};
  for (const auto& label : profile.classes) {
    header.push_back(label + " mean");
    header.push_back(label + " std");
    header.push_back(label + " max");
  }
  std::vector<std::size_t> numeric_columns;
  for (std::size_t i = 1; i < header.size(); ++i) numeric_columns.push_back(i);
  std::vector<std::vector<std::string>> stats_rows;
  for (const auto& column : profile.columns) {
    if (column.by_class.empty()) continue;
    std::vector<std::string> row = {column.name};
    for (const auto& stats : column.by_class) {
      row.push_back(format_number(stats.mean));
      row.push_back(format_number(stats.std));
      row.push_back(format_number(stats.max));
    }
    stats_rows.push_back(std::move(row));
  }
  page.add_html(report::html_table(header, stats_rows, numeric_columns));
}

void add_correlations(report::HtmlPage& page, const Profile& profile) {
  if (profile.correlation_columns.size() < 2) return;
  page.add_heading("Correlations (Pearson, pairwise complete)");
  if (!profile.correlation_left_out.empty())
    page.add_note("The matrix shows " + profile.correlation_selection + "; " +
                  std::to_string(profile.correlation_left_out.size()) +
                  " numeric columns are left out (listed in profile.json under "
                  "correlations.left_out; each column's correlation with the target is in "
                  "columns[].target_correlation): " +
                  first_names(profile.correlation_left_out, kNamesShown));
  report::ChartOptions options;
  options.width = 120 + 48 * static_cast<int>(profile.correlation_columns.size());
  page.add_html(report::svg_heatmap(profile.correlation_columns, profile.correlations, options));
}

void add_numeric_column(report::HtmlPage& page, const Profile& profile,
                        const ColumnProfile& column) {
  const auto& s = *column.numeric;
  report::ChartOptions options;
  options.title = "histogram";
  options.y_label = "rows";
  page.add_html(report::svg_histogram(s.histogram.edges, {{"rows", as_doubles(s.histogram.counts)}},
                                      options));
  if (s.log_histogram) {
    options.title = "histogram, log10(1 + x) bins";
    page.add_html(report::svg_histogram(s.log_histogram->edges,
                                        {{"rows", as_doubles(s.log_histogram->counts)}}, options,
                                        log_edge_labels(*s.log_histogram)));
  }
  const Histogram& split = s.log_histogram ? *s.log_histogram : s.histogram;
  if (!split.by_class.empty()) {
    options.title = "share of each class";
    options.y_label = "share";
    page.add_html(report::svg_histogram(
        split.edges, class_shares(split, profile), options,
        split.log_scale ? log_edge_labels(split) : std::vector<std::string>{}));
  }
}

void add_categorical_column(report::HtmlPage& page, const Profile& profile,
                            const ColumnProfile& column) {
  const auto& s = *column.categorical;
  std::vector<std::string> labels;
  std::vector<double> counts;
  for (const auto& value : s.top) {
    labels.push_back(value.value);
    counts.push_back(static_cast<double>(value.count));
  }
  if (s.other > 0) {
    labels.push_back("(other " + format_count(s.distinct - s.top.size()) + ")");
    counts.push_back(static_cast<double>(s.other));
  }
  report::ChartOptions options;
  options.title = "most frequent values";
  page.add_html(report::svg_bar_chart(labels, {{"rows", counts}}, options));
  bool split = !s.top.empty() && !s.top.front().by_class.empty();
  if (!split) return;
  // The share of each class within each top value: where the rare class concentrates.
  std::vector<report::Series> series;
  for (std::size_t c = 0; c < profile.classes.size(); ++c) {
    report::Series shares{profile.target + " = " + profile.classes[c], {}};
    for (const auto& value : s.top)
      shares.values.push_back(value.count ? double(value.by_class[c]) / double(value.count) : 0);
    series.push_back(std::move(shares));
  }
  std::vector<std::string> top_labels(labels.begin(), labels.begin() + s.top.size());
  std::size_t smallest = 0;
  for (std::size_t c = 1; c < profile.class_counts.size(); ++c)
    if (profile.class_counts[c] < profile.class_counts[smallest]) smallest = c;
  options.title = "rate of " + profile.target + " = " + profile.classes[smallest] + " per value";
  page.add_html(report::svg_bar_chart(top_labels, {series[smallest]}, options));
}

}  // namespace

std::string render_profile_html(const Profile& profile, const std::string& title) {
  report::HtmlPage page("Profile of " + title);
  add_overview(page, profile);
  add_describe(page, profile);
  add_target(page, profile);
  add_correlations(page, profile);
  page.add_heading("Each column");
  std::vector<std::string> without_charts;
  for (std::size_t index = 0; index < profile.columns.size(); ++index) {
    const ColumnProfile& column = profile.columns[index];
    if (index >= kMaxChartColumns && static_cast<std::ptrdiff_t>(index) != profile.target_index) {
      without_charts.push_back(column.name);
      continue;
    }
    std::string heading = column.name + " (" + std::string(to_string(column.type)) + ")";
    page.add_heading(heading, 3);
    page.begin_row();
    if (column.count == 0)
      page.add_paragraph("no values");
    else if (column.numeric)
      add_numeric_column(page, profile, column);
    else
      add_categorical_column(page, profile, column);
    page.end_row();
  }
  if (!without_charts.empty())
    page.add_note("Charts of " + std::to_string(without_charts.size()) +
                  " more columns are left out to keep this page small (their statistics are "
                  "in the Columns table above and in profile.json): " +
                  first_names(without_charts, kNamesShown));
  return page.str();
}

}  // namespace archml::data
