// `archml evaluate --model BUNDLE [--data FILE] [--split PART] ... --out DIR`: scores rows
// with a trained bundle and writes DIR/evaluation.json, DIR/evaluation.html and
// DIR/scores.csv, then prints the headline metrics, the confusion matrix and the business
// view.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "archml/core/error.h"
#include "archml/jobs/artifact_upload.h"
#include "archml/jobs/evaluate_job.h"
#include "archml/report/format.h"
#include "cli/commands.h"
#include "cli/csv_flags.h"
#include "cli/run_flags.h"

namespace archml::cli {
namespace {

using report::format_count;
using report::format_number;

struct EvaluateFlags {
  std::string model;
  std::string data;
  std::string split;
  std::string cost_matrix;
  double cutoff = NAN;
  std::string baseline_column;
  std::string words;
  std::string out;
  CsvFlags csv;
  RunFlags run;
};

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(',', start);
    parts.push_back(text.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

eval::CostMatrix parse_cost_matrix(const std::string& text) {
  const std::string usage =
      "--cost-matrix takes four costs TN,FP,FN,TP (the cost of one row per outcome), e.g. "
      "0,100,500,100; got '" +
      text + "'";
  std::vector<std::string> parts = split_commas(text);
  if (parts.size() != 4) throw_invalid(usage);
  double values[4];
  for (std::size_t i = 0; i < 4; ++i) {
    const std::string& part = parts[i];
    auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), values[i]);
    if (part.empty() || error != std::errc() || end != part.data() + part.size() ||
        !std::isfinite(values[i]))
      throw_invalid(usage);
  }
  return {values[0], values[1], values[2], values[3]};
}

void print_confusion(const std::vector<std::string>& names,
                     const std::vector<std::vector<std::int64_t>>& cells) {
  // Two spaces between columns however long the class names are.
  std::size_t width = 12;
  for (const auto& name : names) width = std::max(width, name.size() + 12);
  for (const auto& row : cells)
    for (auto cell : row) width = std::max(width, format_count(cell).size() + 2);
  std::printf("  %-*s", static_cast<int>(width), "");
  for (const auto& name : names)
    std::printf("%*s", static_cast<int>(width), ("predicted " + name).c_str());
  std::printf("\n");
  for (std::size_t actual = 0; actual < cells.size(); ++actual) {
    std::printf("  %-*s", static_cast<int>(width), ("actual " + names[actual]).c_str());
    for (auto cell : cells[actual])
      std::printf("%*s", static_cast<int>(width), format_count(cell).c_str());
    std::printf("\n");
  }
}

std::vector<std::string> class_names(const jobs::EvaluateJobResult& result, std::size_t count) {
  std::vector<std::string> names = result.json.value("classes", std::vector<std::string>{});
  for (std::size_t c = names.size(); c < count; ++c) names.push_back(std::to_string(c));
  return names;
}

void print_summary(const jobs::EvaluateJobResult& result) {
  print_csv_problems(result.csv_report);
  std::printf("evaluated %s rows of %s, %s, with %s\n", format_count(result.rows).c_str(),
              result.data_file.c_str(), result.rows_description.c_str(),
              result.bundle_directory.string().c_str());
  if (result.excluded_rows > 0)
    std::printf("left out %s rows without a %s label\n", format_count(result.excluded_rows).c_str(),
                result.target.c_str());
  if (result.binary) {
    const eval::BinaryEvaluation& e = *result.binary;
    std::printf("\nROC AUC %s   PR AUC (average precision) %s   log loss %s   Brier %s\n",
                format_number(e.roc_auc).c_str(), format_number(e.average_precision).c_str(),
                format_number(e.log_loss).c_str(), format_number(e.brier).c_str());
    std::printf("\nconfusion matrix at cutoff %s (accuracy %s):\n", format_number(e.cutoff).c_str(),
                format_number(e.accuracy).c_str());
    print_confusion(class_names(result, 2),
                    {{e.confusion.tn, e.confusion.fp}, {e.confusion.fn, e.confusion.tp}});
    const eval::BusinessView& view = result.business_view;
    std::printf("\n%s\n%s\n", view.chosen.c_str(), view.comparison.c_str());
    if (!view.baseline.empty()) std::printf("%s\n", view.baseline.c_str());
  } else if (result.multiclass) {
    const eval::MulticlassEvaluation& e = *result.multiclass;
    std::printf("\nlog loss %s   accuracy %s   macro F1 %s   weighted F1 %s\n",
                format_number(e.log_loss).c_str(), format_number(e.accuracy).c_str(),
                format_number(e.macro_f1).c_str(), format_number(e.weighted_f1).c_str());
    std::vector<std::vector<std::int64_t>> cells(e.confusion.classes);
    for (std::size_t a = 0; a < e.confusion.classes; ++a)
      for (std::size_t p = 0; p < e.confusion.classes; ++p)
        cells[a].push_back(e.confusion.at(a, p));
    std::printf("\nconfusion matrix (most probable class):\n");
    print_confusion(class_names(result, e.confusion.classes), cells);
  } else if (result.regression) {
    const eval::RegressionMetrics& m = *result.regression;
    std::printf("\nRMSE %s   MAE %s   R² %s   MAPE %s (over %s rows with a non-zero target)\n",
                format_number(m.rmse).c_str(), format_number(m.mae).c_str(),
                format_number(m.r2).c_str(), report::format_percent(m.mape).c_str(),
                format_count(m.mape_rows).c_str());
  }
  std::printf("\nwrote %s, %s and %s\n", result.json_path.string().c_str(),
              result.html_path.string().c_str(), result.scores_path.string().c_str());
}

void run_evaluate(const jobs::JobContext& context, const EvaluateFlags& flags) {
  jobs::EvaluateJobOptions options;
  options.model = jobs::fetch_bundle(context, flags.model);
  options.data_file = flags.data;
  // A file of new rows is evaluated whole; the training file by default its test part.
  std::string split = !flags.split.empty() ? flags.split : flags.data.empty() ? "test" : "all";
  options.rows = jobs::parse_evaluation_rows(split);
  options.csv = to_csv_options(flags.csv, context);
  if (!flags.cost_matrix.empty()) options.costs = parse_cost_matrix(flags.cost_matrix);
  if (!std::isnan(flags.cutoff)) options.cutoff = flags.cutoff;
  options.baseline_column = flags.baseline_column;
  if (!flags.words.empty()) {
    std::vector<std::string> words = split_commas(flags.words);
    if (words.size() != 2 || words[0].empty() || words[1].empty())
      throw_invalid(
          "--words takes two plural nouns POSITIVES,ROWS, e.g. frauds,transactions; got '" +
          flags.words + "'");
    options.positives_noun = words[0];
    options.rows_noun = words[1];
  }
  options.out = flags.out;
  auto recorder = jobs::start_job_for_bundle(context, options.model, flags.run.choice(),
                                             track::JobKind::kEvaluation);
  options.recorder = recorder.get();
  print_summary(
      jobs::run_recorded(recorder.get(), [&] { return jobs::run_evaluate_job(context, options); }));
}

}  // namespace

void add_evaluate_command(CLI::App& app, const jobs::JobContext& context) {
  auto flags = std::make_shared<EvaluateFlags>();
  auto* command = app.add_subcommand(
      "evaluate",
      "Evaluate a model on labelled rows: metrics, curves, business costs.\n\n"
      "Binary classifiers get ROC AUC, PR AUC\n"
      "(average precision), log loss, Brier score, the confusion matrix and classification\n"
      "report at the cutoff, ROC and PR curves, the score histogram, a calibration table and\n"
      "the business view: the total cost at every cutoff 0.01..0.99 for a cost matrix, the\n"
      "cheapest cutoff, the cost of the chosen cutoff against 0.5 and against a rules\n"
      "column, and the operating point in plain words. Multi-class models get log loss,\n"
      "accuracy, F1 and the confusion matrix; regression models RMSE, MAE, R² and MAPE.\n"
      "Writes DIR/evaluation.json, DIR/evaluation.html (self-contained, opens offline) and\n"
      "DIR/scores.csv (row, label, score per evaluated row). See docs/evaluation.md.\n\n"
      "The cutoff is the bundle's, chosen on the validation split during training;\n"
      "--cutoff overrides it. Without --data the rows are the test part of the training\n"
      "file, split again exactly as training split it.\n\n"
      "Examples:\n"
      "  archml evaluate --model runs/fraud --out runs/fraud/eval\n"
      "  archml evaluate --model runs/fraud --split test --baseline-column isFlaggedFraud \\\n"
      "      --cost-matrix 0,100,500,100 --words frauds,transactions --out eval\n"
      "  archml evaluate --model runs/fraud/bundle --data next-month.csv --cutoff 0.3 --out eval");
  command->add_option("-m,--model", flags->model, kModelFlagHelp)->required();
  command->add_option("-d,--data", flags->data,
                      "CSV file of labelled rows (default: the training file the bundle records)");
  command->add_option("--split", flags->split,
                      "Which rows: test, validation or train (a part of the file, split as in\n"
                      "training), or all (every labelled row). Default: test without --data,\n"
                      "all with it");
  command->add_option("--cost-matrix", flags->cost_matrix,
                      "Cost of one row per outcome TN,FP,FN,TP (default: the bundle's, normally\n"
                      "the workshop's 0,100,500,100: an alert costs 100, a missed fraud 500)");
  command->add_option("--cutoff", flags->cutoff,
                      "Flag rows whose probability is >= C, 0 < C < 1 (default: the bundle's)");
  command->add_option(
      "--baseline-column", flags->baseline_column,
      "A 0/1 column of the data (e.g. isFlaggedFraud, a rules engine's flag) whose\n"
      "cost is compared with the model's");
  command->add_option("--words", flags->words,
                      "Plural nouns for the plain-words summary POSITIVES,ROWS, e.g.\n"
                      "frauds,transactions (default: '<target> cases' and 'rows')");
  command
      ->add_option("-o,--out", flags->out,
                   "Directory for evaluation.json, evaluation.html and scores.csv (created)")
      ->required();
  add_csv_flags(*command, flags->csv);
  add_run_flags(*command, flags->run, true);
  command->callback([flags, &context] { run_evaluate(context, *flags); });
}

}  // namespace archml::cli
