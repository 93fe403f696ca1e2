#include "cli/csv_flags.h"

#include <cstdio>

#include "archml/core/error.h"

namespace archml::cli {

void add_csv_flags(CLI::App& command, CsvFlags& flags) {
  command
      .add_option("--delimiter", flags.delimiter, "Field separator (one character; 'tab' for TAB)")
      ->capture_default_str()
      ->group("CSV input");
  command
      .add_flag("--no-header", flags.no_header,
                "The first row is data; columns are named column_1, column_2, ...")
      ->group("CSV input");
  command
      .add_option("--schema", flags.schema,
                  "Fix column types instead of inferring them: COL:TYPE[,COL:TYPE...] with\n"
                  "TYPE one of int64, float64, bool, string")
      ->group("CSV input");
  command
      .add_flag("--lenient", flags.lenient,
                "Skip malformed rows (and report how many) instead of stopping at the first")
      ->group("CSV input");
}

data::CsvOptions to_csv_options(const CsvFlags& flags, const jobs::JobContext& context) {
  data::CsvOptions options;
  options.threads = context.threads;
  if (!context.progress) options.progress_label.clear();
  if (flags.delimiter == "tab" || flags.delimiter == "\\t") {
    options.delimiter = '\t';
  } else if (flags.delimiter.size() == 1 && flags.delimiter != "\"" && flags.delimiter != "\n") {
    options.delimiter = flags.delimiter[0];
  } else {
    throw_invalid("--delimiter must be a single character (or 'tab'), not '" + flags.delimiter +
                  "'");
  }
  options.has_header = !flags.no_header;
  options.lenient = flags.lenient;
  std::size_t start = 0;
  while (start < flags.schema.size()) {
    std::size_t end = flags.schema.find(',', start);
    if (end == std::string::npos) end = flags.schema.size();
    std::string entry = flags.schema.substr(start, end - start);
    std::size_t colon = entry.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == entry.size())
      throw_invalid("--schema entry '" + entry + "' is not COLUMN:TYPE (e.g. step:int64)");
    options.schema[entry.substr(0, colon)] = data::parse_column_type(entry.substr(colon + 1));
    start = end + 1;
  }
  return options;
}

void print_csv_problems(const data::CsvReport& report) {
  std::fputs(data::csv_report_warnings(report).c_str(), stderr);
}

}  // namespace archml::cli
