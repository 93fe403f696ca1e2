// The CSV flags every command that reads a data file shares, so `--delimiter`,
// `--no-header`, `--schema` and `--lenient` mean the same thing everywhere.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "archml/data/csv_reader.h"
#include "archml/jobs/job_context.h"

namespace archml::cli {

struct CsvFlags {
  std::string delimiter = ",";
  bool no_header = false;
  bool lenient = false;
  std::string schema;  // "col:type,col:type"
};

void add_csv_flags(CLI::App& command, CsvFlags& flags);
// With the context's threads; no progress bar under --quiet. Throws archml::Error
// (invalid input) for a malformed --schema or --delimiter.
data::CsvOptions to_csv_options(const CsvFlags& flags, const jobs::JobContext& context);
// In lenient mode, tells on stderr how many rows were skipped and why.
void print_csv_problems(const data::CsvReport& report);

}  // namespace archml::cli
