#include "cli/table.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <set>

namespace archml::cli {
namespace {

std::size_t display_width(const std::string& text) {
  std::size_t width = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++width;  // count lead bytes, not continuation bytes
  return width;
}

}  // namespace

void print_table(const TableRow& header, const std::vector<TableRow>& rows) {
  std::vector<std::size_t> widths(header.size(), 0);
  auto widen = [&](const TableRow& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], display_width(row[i]));
  };
  widen(header);
  for (const auto& row : rows) widen(row);
  auto print = [&](const TableRow& row) {
    std::string line;
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - display_width(row[i]) + 2, ' ');
    }
    std::printf("%s\n", line.c_str());
  };
  print(header);
  for (const auto& row : rows) print(row);
}

void print_name_values(const std::string& title, const std::map<std::string, std::string>& values) {
  if (values.empty()) return;
  std::printf("\n%s\n", title.c_str());
  std::vector<TableRow> rows;
  for (const auto& [name, value] : values) rows.push_back({name, value});
  print_table({"NAME", "VALUE"}, rows);
}

void print_comparison(const std::string& title, const TableRow& columns,
                      std::vector<TableRow> rows) {
  if (rows.empty()) return;
  for (auto& row : rows) {
    const std::set<std::string> distinct(row.begin() + 1, row.end());
    row[0] = (distinct.size() > 1 ? "* " : "  ") + row[0];
  }
  TableRow header = {"  NAME"};
  header.insert(header.end(), columns.begin(), columns.end());
  std::printf("%s\n", title.c_str());
  print_table(header, rows);
  std::printf("\n");
}

std::string format_time(double seconds) {
  if (seconds <= 0) return "-";
  std::time_t time = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &utc);
  return text;
}

std::string format_duration(double seconds) {
  char text[48];
  if (seconds < 60)
    std::snprintf(text, sizeof text, "%.1f s", seconds);
  else if (seconds < 3600)
    std::snprintf(text, sizeof text, "%d min %d s", int(seconds) / 60, int(seconds) % 60);
  else
    std::snprintf(text, sizeof text, "%d h %d min", int(seconds) / 3600, int(seconds) % 3600 / 60);
  return text;
}

std::string format_value(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

void print_page_footer(std::size_t offset, std::size_t shown, std::size_t total,
                       const std::string& noun) {
  if (shown == total) return;
  if (shown == 0) {
    std::printf("(no %s at offset %zu; there are %zu)\n", noun.c_str(), offset, total);
    return;
  }
  std::printf("showing %zu-%zu of %zu %s", offset + 1, offset + shown, total, noun.c_str());
  if (offset + shown < total) std::printf("; --offset %zu for the next page", offset + shown);
  std::printf("\n");
}

}  // namespace archml::cli
