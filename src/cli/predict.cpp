// `archml predict --model BUNDLE --data FILE --out FILE`: batch prediction. Scores every
// row of FILE with a trained bundle and writes a CSV of the --keep columns, then the
// scores and labels; prints a summary line (to stderr when the CSV goes to stdout).
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "archml/core/error.h"
#include "archml/jobs/artifact_upload.h"
#include "archml/jobs/predict_job.h"
#include "archml/report/format.h"
#include "cli/commands.h"
#include "cli/csv_flags.h"
#include "cli/run_flags.h"

namespace archml::cli {
namespace {

using report::format_count;
using report::format_number;

struct PredictFlags {
  std::string model;
  std::string data;
  std::string out;
  std::vector<std::string> keep;
  double cutoff = NAN;
  std::string output = "score,label";
  std::string on_error = "fail";
  CsvFlags csv;
  RunFlags run;
};

void print_summary(const jobs::PredictJobResult& result, std::FILE* stream) {
  std::string line = "scored " + format_count(result.rows_scored) + " of " +
                     format_count(result.rows_read) + " rows of " + result.data_file;
  if (result.cutoff)
    line += ", " + format_count(result.positives) + " at or above cutoff " +
            format_number(*result.cutoff);
  line += ", in " + format_number(result.seconds, 3) + " s";
  if (result.out != "-") line += "; wrote " + result.out;
  std::fprintf(stream, "%s\n", line.c_str());
  if (result.rows_failed > 0) {
    std::fprintf(stderr, "warning: %s row(s) could not be scored (%s); the first:\n",
                 format_count(result.rows_failed).c_str(),
                 result.header.back() == "error" ? "written with empty scores" : "left out");
    for (const auto& error : result.errors)
      std::fprintf(stderr, "  row %zu: %s\n", error.row, error.reason.c_str());
  }
}

void run_predict(const jobs::JobContext& context, const PredictFlags& flags) {
  jobs::PredictJobOptions options;
  options.model = jobs::fetch_bundle(context, flags.model);
  options.data_file = flags.data;
  options.csv = to_csv_options(flags.csv, context);
  options.out = flags.out;
  for (const auto& entry : flags.keep) {
    // --keep a,b and --keep a --keep b mean the same.
    std::size_t start = 0;
    while (start <= entry.size()) {
      std::size_t end = entry.find(',', start);
      if (end == std::string::npos) end = entry.size();
      if (end > start) options.keep.push_back(entry.substr(start, end - start));
      start = end + 1;
    }
  }
  if (!std::isnan(flags.cutoff)) options.cutoff = flags.cutoff;
  options.output = jobs::parse_predict_output(flags.output);
  options.on_error = jobs::parse_row_error_policy(flags.on_error);
  auto recorder = jobs::start_job_for_bundle(context, options.model, flags.run.choice(),
                                             track::JobKind::kTransform);
  options.recorder = recorder.get();
  jobs::PredictJobResult result =
      jobs::run_recorded(recorder.get(), [&] { return jobs::run_predict_job(context, options); });
  print_csv_problems({result.rows_read, result.skipped_csv_rows, result.csv_problems});
  print_summary(result, flags.out == "-" ? stderr : stdout);
}

}  // namespace

void add_predict_command(CLI::App& app, const jobs::JobContext& context) {
  auto flags = std::make_shared<PredictFlags>();
  auto* command = app.add_subcommand(
      "predict",
      "Batch prediction: score every row of a CSV file with a trained model.\n\n"
      "The rows go\n"
      "through the bundle's fitted recipe and the booster exactly as in training and\n"
      "serving; the target column may be present or not (it is ignored). Writes a CSV with\n"
      "the --keep columns, then `score,label` for a binary model (label at the bundle's\n"
      "cutoff, or --cutoff), the top probability and the most probable class for a\n"
      "multi-class one (or one p_<class> column per class with --output probabilities),\n"
      "and `prediction` for regression. See docs/predict.md.\n\n"
      "A missing column the model reads fails the whole file. A row the recipe rejects\n"
      "(e.g. a category unseen in training under `unseen: error`) fails with its row and\n"
      "column by default; --on-error skip leaves such rows out, --on-error empty writes\n"
      "them with empty scores and the reason in an `error` column.\n\n"
      "Examples:\n"
      "  archml predict --model runs/fraud --data new.csv --keep nameOrig --out scores.csv\n"
      "  archml predict --model runs/fraud/bundle --data new.csv --cutoff 0.3 --out -\n"
      "  archml predict --model runs/kind --data new.csv --output probabilities \\\n"
      "      --on-error empty --out scores.csv");
  command->add_option("-m,--model", flags->model, kModelFlagHelp)->required();
  command->add_option("-d,--data", flags->data, "CSV file of rows to score")->required();
  command->add_option("-o,--out", flags->out, "Output CSV file ('-' for standard output)")
      ->required();
  command->add_option("--keep", flags->keep,
                      "Columns copied to the output in front of the scores, e.g. an ID:\n"
                      "--keep nameOrig or --keep nameOrig,step");
  command->add_option("--cutoff", flags->cutoff,
                      "Binary models: label rows whose probability is >= C, 0 < C < 1\n"
                      "(default: the bundle's, chosen on validation)");
  command
      ->add_option("--output", flags->output,
                   "score,label (default) or probabilities (one column per class)")
      ->capture_default_str();
  command
      ->add_option("--on-error", flags->on_error,
                   "Rows that cannot be scored: fail (default), skip, or empty (empty\n"
                   "scores and an `error` column)")
      ->capture_default_str();
  add_csv_flags(*command, flags->csv);
  add_run_flags(*command, flags->run, true);
  command->callback([flags, &context] { run_predict(context, *flags); });
}

}  // namespace archml::cli
