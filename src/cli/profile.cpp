// `archml profile FILE [--target COL] [--out DIR]`: reads a CSV, profiles it, writes
// DIR/profile.json and DIR/profile.html, and prints a short summary.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "archml/core/error.h"
#include "archml/core/text_file.h"
#include "archml/data/csv_reader.h"
#include "archml/data/profile.h"
#include "archml/data/profile_report.h"
#include "archml/report/format.h"
#include "cli/commands.h"
#include "cli/csv_flags.h"

namespace archml::cli {
namespace {

namespace fs = std::filesystem;

struct ProfileFlags {
  std::string file;
  std::string target;
  std::string out;
  CsvFlags csv;
  std::size_t top_values = 10;
  std::size_t bins = 30;
};

// "data/paysim-5k.csv.gz" -> "profile-paysim-5k".
std::string default_out_dir(const std::string& file) {
  fs::path path(file);
  std::string stem = path.filename().string();
  for (const char* suffix : {".gz", ".csv", ".tsv", ".txt"}) {
    std::string s = suffix;
    if (stem.size() > s.size() && stem.compare(stem.size() - s.size(), s.size(), s) == 0)
      stem.resize(stem.size() - s.size());
  }
  return "profile-" + stem;
}

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

void print_summary(const data::Profile& profile, const std::string& file,
                   const data::CsvReport& csv_report, double read_seconds, double profile_seconds) {
  using report::format_count;
  using report::format_number;
  using report::format_percent;
  std::printf("%s: %s rows x %zu columns (read %.2f s, profiled %.2f s)\n", file.c_str(),
              format_count(profile.rows).c_str(), profile.columns.size(), read_seconds,
              profile_seconds);
  if (csv_report.skipped_rows > 0)
    std::printf("skipped %s malformed rows (--lenient)\n",
                format_count(csv_report.skipped_rows).c_str());
  std::size_t name_width = 6;
  for (const auto& column : profile.columns) name_width = std::max(name_width, column.name.size());
  std::printf("\n  %s  %-8s %10s  %s\n", pad("column", name_width).c_str(), "type", "missing",
              "summary");
  for (const auto& column : profile.columns) {
    std::string summary;
    if (column.numeric) {
      const auto& s = *column.numeric;
      summary = "mean " + format_number(s.mean) + "  std " + format_number(s.std) + "  min " +
                format_number(s.min) + "  median " + format_number(s.p50) + "  max " +
                format_number(s.max);
    } else {
      const auto& s = *column.categorical;
      summary = format_count(s.distinct) + " distinct";
      for (std::size_t i = 0; i < s.top.size() && i < 3; ++i)
        summary +=
            (i == 0 ? "; top " : ", ") + s.top[i].value + " (" + format_count(s.top[i].count) + ")";
    }
    std::printf("  %s  %-8s %10s  %s\n", pad(column.name, name_width).c_str(),
                std::string(data::to_string(column.type)).c_str(),
                format_count(column.missing).c_str(), summary.c_str());
  }
  if (!profile.target.empty()) {
    std::printf("\ntarget %s", profile.target.c_str());
    if (profile.target_is_classes) {
      std::uint64_t labelled = 0;
      for (auto count : profile.class_counts) labelled += count;
      std::printf(":");
      for (std::size_t c = 0; c < profile.classes.size(); ++c)
        std::printf("  %s: %s (%s)", profile.classes[c].c_str(),
                    format_count(profile.class_counts[c]).c_str(),
                    format_percent(double(profile.class_counts[c]) / double(labelled)).c_str());
      if (profile.target_missing > 0)
        std::printf("  missing: %s", format_count(profile.target_missing).c_str());
      std::printf("\n");
    } else {
      std::printf(": continuous\n");
    }
  }
  if (!profile.warnings.empty()) {
    std::printf("\nwarnings:\n");
    for (const auto& warning : profile.warnings)
      std::printf("  ! [%s] %s\n", warning.kind.c_str(), warning.message.c_str());
  }
}

void run_profile(const jobs::JobContext& context, const ProfileFlags& flags) {
  data::CsvOptions csv = to_csv_options(flags.csv, context);
  data::CsvReport csv_report;
  auto start = std::chrono::steady_clock::now();
  data::Table table = data::read_csv(flags.file, csv, &csv_report);
  auto read_done = std::chrono::steady_clock::now();
  if (!flags.target.empty()) table.column(std::string_view(flags.target));  // fail before work

  data::ProfileOptions options;
  options.target = flags.target;
  options.top_values = flags.top_values;
  options.histogram_bins = flags.bins;
  options.threads = context.threads;
  if (!context.progress) options.progress_label.clear();
  data::Profile profile = data::compute_profile(table, options);
  auto profile_done = std::chrono::steady_clock::now();

  fs::path out = flags.out.empty() ? fs::path(default_out_dir(flags.file)) : fs::path(flags.out);
  std::error_code error;
  fs::create_directories(out, error);
  if (error) throw_io("cannot create output directory '" + out.string() + "': " + error.message());
  // Text from the data is valid UTF-8 (the reader's rule); a file name may not be.
  core::write_text_file(
      out / "profile.json",
      data::to_json(profile).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  core::write_text_file(
      out / "profile.html",
      data::render_profile_html(profile, fs::path(flags.file).filename().string()));

  auto seconds = [](auto from, auto to) {
    return std::chrono::duration<double>(to - from).count();
  };
  print_summary(profile, flags.file, csv_report, seconds(start, read_done),
                seconds(read_done, profile_done));
  print_csv_problems(csv_report);
  std::printf("\nwrote %s and %s\n", (out / "profile.json").string().c_str(),
              (out / "profile.html").string().c_str());
}

}  // namespace

void add_profile_command(CLI::App& app, const jobs::JobContext& context) {
  auto flags = std::make_shared<ProfileFlags>();
  auto* command = app.add_subcommand(
      "profile",
      "Profile a CSV file: statistics, warnings and charts for exploring it.\n\n"
      "The profile holds the shape, column types, missing values, describe-style statistics,\n"
      "value counts, the target's class balance, per-class statistics, histograms and the\n"
      "correlation matrix, with warnings (ID-like and constant columns, class imbalance,\n"
      "features that give the target away, mostly missing columns).\n"
      "Writes DIR/profile.json (machine-readable) and DIR/profile.html (one self-contained\n"
      "page with charts; open it in any browser, no network needed) and prints a summary.\n"
      "Statistics match pandas: std with ddof=1, linearly interpolated quartiles, Pearson\n"
      "correlation over pairwise-complete rows; bool columns count as numeric 0/1.\n\n"
      "Example:\n"
      "  archml profile paysim.csv --target isFraud --out reports/paysim\n"
      "  archml --stats profile data.tsv --delimiter tab --schema zip:string");
  command->add_option("FILE", flags->file, "CSV file to profile (.csv, or .csv.gz)")->required();
  command->add_option("-t,--target", flags->target,
                      "Column to predict: its classes are counted, each numeric feature is "
                      "summarised per class, and it joins the correlation matrix");
  command->add_option("-o,--out", flags->out,
                      "Directory for profile.json and profile.html, created if needed "
                      "(default: profile-<file name without extension> in the current directory)");
  add_csv_flags(*command, flags->csv);
  command->add_option("--top", flags->top_values, "Most frequent values listed per text column")
      ->check(CLI::Range(1, 200))
      ->default_val(10);
  command->add_option("--bins", flags->bins, "Histogram bins per numeric column")
      ->check(CLI::Range(2, 1000))
      ->default_val(30);
  command->callback([flags, &context] { run_profile(context, *flags); });
}

}  // namespace archml::cli
