// `archml schema FILE`: read a CSV the way every other command will and show what it
// became — column types, missing counts, a few rows — so schema surprises surface
// before a long training job.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archml/core/error.h"
#include "archml/data/csv_reader.h"
#include "cli/commands.h"
#include "cli/csv_flags.h"

namespace archml::cli {
namespace {

struct SchemaArgs {
  std::string file;
  CsvFlags csv;
  std::size_t head = 5;
  bool json = false;
};

void print_schema(const data::Table& table, const data::CsvReport& report, const SchemaArgs& args) {
  if (args.json) {
    nlohmann::json out = {{"file", args.file},
                          {"rows", table.row_count()},
                          {"skipped_rows", report.skipped_rows},
                          {"columns", nlohmann::json::array()}};
    for (const auto& column : table.columns())
      out["columns"].push_back({{"name", column.name()},
                                {"type", to_string(column.type())},
                                {"missing", column.missing_count()}});
    // Text from the data is valid UTF-8 (the reader's rule); a file name may not be.
    std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return;
  }
  std::printf("%s: %zu rows x %zu columns", args.file.c_str(), table.row_count(),
              table.column_count());
  if (report.skipped_rows > 0) std::printf(" (%zu bad rows skipped)", report.skipped_rows);
  std::printf("\n\n  %-4s %-24s %-8s %10s %12s\n", "#", "column", "type", "missing", "distinct");
  for (std::size_t i = 0; i < table.column_count(); ++i) {
    const auto& column = table.column(i);
    std::string distinct = column.type() == data::ColumnType::kString
                               ? std::to_string(column.dictionary().size())
                               : "";
    std::printf("  %-4zu %-24s %-8s %10zu %12s\n", i + 1, column.name().c_str(),
                std::string(to_string(column.type())).c_str(), column.missing_count(),
                distinct.c_str());
  }
  std::size_t rows = std::min(args.head, table.row_count());
  if (rows == 0) return;
  std::printf("\nfirst %zu rows:\n", rows);
  for (std::size_t r = 0; r < rows; ++r) {
    std::string line;
    for (std::size_t c = 0; c < table.column_count(); ++c) {
      if (c) line += ",";
      line += table.column(c).text(r);
    }
    std::printf("  %s\n", line.c_str());
  }
}

}  // namespace

void add_schema_command(CLI::App& app, const jobs::JobContext& context) {
  auto args = std::make_shared<SchemaArgs>();
  auto* command = app.add_subcommand(
      "schema",
      "Read a CSV file and show the table it becomes.\n\n"
      "It shows each column's inferred type, missing\n"
      "values and distinct count, and the first rows. Use it to check how archml sees a\n"
      "file before profiling or training on it.\n\n"
      "Example:\n  archml schema transactions.csv --head 3\n"
      "  archml schema data.csv --schema step:float64,isFraud:string");
  command->add_option("FILE", args->file, "CSV file to read (.csv or .csv.gz)")->required();
  add_csv_flags(*command, args->csv);
  command->add_option("--head", args->head, "How many rows to show (0 for none)")
      ->capture_default_str();
  command->add_flag("--json", args->json, "Print the schema as JSON for scripts");
  command->callback([args, &context] {
    data::CsvReport report;
    data::Table table = data::read_csv(args->file, to_csv_options(args->csv, context), &report);
    print_schema(table, report, *args);
    print_csv_problems(report);
  });
}

}  // namespace archml::cli
