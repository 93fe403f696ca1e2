// Plain-text tables and times for the catalog commands: columns padded to their widest
// cell (counting UTF-8 characters, so sparklines align), two spaces apart.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace archml::cli {

using TableRow = std::vector<std::string>;

void print_table(const TableRow& header, const std::vector<TableRow>& rows);

// Seconds since the epoch as "2026-11-27 23:57:27" (UTC); "-" for 0.
std::string format_time(double seconds);
// "1.2 s", "3 min 4 s", "2 h 5 min".
std::string format_duration(double seconds);
// A metric value with up to 6 significant digits.
std::string format_value(double value);

// A titled section after a blank line: a NAME VALUE table of `values`. Nothing when empty.
void print_name_values(const std::string& title, const std::map<std::string, std::string>& values);

// One section of a side-by-side comparison (runs compare, models compare): `title`, then
// a table headed "NAME" and `columns`, each row a name and one value per column; a
// leading '*' marks a row whose values differ. Prints nothing when `rows` is empty.
void print_comparison(const std::string& title, const TableRow& columns,
                      std::vector<TableRow> rows);

// "showing 1-50 of 120 runs; --offset 50 for the next page" when a page is partial.
void print_page_footer(std::size_t offset, std::size_t shown, std::size_t total,
                       const std::string& noun);

}  // namespace archml::cli
