#include "archml/jobs/evaluate_job.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <span>
#include <vector>

#include "archml/core/content_hash.h"
#include "archml/core/error.h"
#include "archml/core/numbers.h"
#include "archml/core/text_file.h"
#include "archml/data/split.h"
#include "archml/data/table_take.h"
#include "archml/eval/evaluation_page.h"
#include "archml/eval/json.h"
#include "archml/model/predictor.h"
#include "archml/model/target_encoding.h"
#include "archml/report/format.h"

namespace archml::jobs {
namespace {

namespace fs = std::filesystem;

struct LabelledRows {
  data::Table table;                // the rows to score, in file order
  std::vector<std::uint32_t> rows;  // their indices in the file
  std::size_t excluded = 0;
};

std::string kind_name(model::TargetKind kind) {
  switch (kind) {
    case model::TargetKind::kBinary:
      return "binary";
    case model::TargetKind::kMulticlass:
      return "multiclass";
    case model::TargetKind::kContinuous:
      return "regression";
  }
  return "unknown";
}

// Only `columns` are copied: ID-like text columns the model ignores would cost more than
// the rest together.
LabelledRows select_rows(const data::Table& table, const model::BundleMetadata& metadata,
                         EvaluationRows part, const std::string& file,
                         const std::vector<std::string>& columns) {
  const std::string& target = metadata.target.column;
  const data::Column& target_column = table.column(std::string_view(target));
  LabelledRows selected;
  if (part == EvaluationRows::kAll) {
    for (std::uint32_t row = 0; row < table.row_count(); ++row) {
      if (target_column.is_missing(row))
        ++selected.excluded;
      else
        selected.rows.push_back(row);
    }
  } else {
    // Only the training file's bytes give training's split; any other rows in the test
    // part could have been seen in training and would flatter the model.
    const std::string advice =
        "; the split would not match training. Pass the training file with --data, or "
        "evaluate every row of a new file with --data FILE --split all";
    if (!metadata.data_hash.empty() && core::file_content_hash(file) != metadata.data_hash)
      throw_invalid("'" + file + "' is not the file the model was trained on ('" +
                    metadata.data_file + "', " + metadata.data_hash + ")" + advice);
    if (metadata.data_rows != 0 && metadata.data_rows != table.row_count())
      throw_invalid("'" + file + "' has " + std::to_string(table.row_count()) +
                    " rows but the model was trained on " + std::to_string(metadata.data_rows) +
                    " rows of '" + metadata.data_file + "'" + advice);
    data::SplitRows split = data::split_rows(table, metadata.split, target);
    selected.excluded = split.excluded;
    selected.rows = part == EvaluationRows::kTrain        ? std::move(split.train)
                    : part == EvaluationRows::kValidation ? std::move(split.validation)
                                                          : std::move(split.test);
  }
  if (selected.rows.empty())
    throw_invalid("no rows with a label to evaluate in the " + to_string(part) + " part of '" +
                  file + "' (split " + metadata.split.to_string() + ")");
  selected.table = data::take_rows(table, selected.rows, columns);
  return selected;
}

std::vector<std::uint8_t> baseline_flags(const data::Table& table, const std::string& column_name) {
  const data::Column& column = table.column(std::string_view(column_name));
  if (!column.is_numeric())
    throw_invalid("baseline column '" + column_name +
                  "' must hold 0/1 (or true/false) flags, but it is text");
  std::vector<std::uint8_t> flags(table.row_count());
  for (std::size_t row = 0; row < flags.size(); ++row) {
    double value = column.number(row);
    if (value != 0 && value != 1)
      throw_invalid("baseline column '" + column_name + "' must hold 0/1 flags; row " +
                    std::to_string(row) + " of the evaluated rows holds " +
                    (std::isnan(value) ? std::string("a missing value") : column.text(row)));
    flags[row] = static_cast<std::uint8_t>(value);
  }
  return flags;
}

// The nouns of the plain-words sentence when the user gave none: "isFraud cases" reads
// better than "positives" and needs no knowledge of the domain.
eval::BusinessWords business_words(const EvaluateJobOptions& options,
                                   const model::TargetEncoding& target) {
  eval::BusinessWords words;
  std::string positive = target.positive_class();
  bool numeric_class =
      !positive.empty() && positive.find_first_not_of("0123456789.-") == std::string::npos;
  words.positives = !options.positives_noun.empty() ? options.positives_noun
                    : numeric_class                 ? target.column + " cases"
                                                    : positive + " cases";
  words.rows = options.rows_noun.empty() ? "rows" : options.rows_noun;
  words.cutoff_origin = options.cutoff ? "set with --cutoff" : "chosen on the validation split";
  if (!options.baseline_column.empty()) words.baseline_name = options.baseline_column;
  return words;
}

// Shortest round-trip text, so a check recomputing metrics from scores.csv sees exactly
// the doubles archml evaluated.
void write_scores(const fs::path& path, const LabelledRows& selected,
                  const std::vector<double>& labels, const model::Predictions& predictions,
                  const std::vector<std::string>& classes) {
  std::string text = "row,label";
  if (predictions.width == 1) {
    text += ",score";
  } else {
    for (std::size_t c = 0; c < predictions.width; ++c)
      text += ",p_" + (c < classes.size() ? classes[c] : std::to_string(c));
  }
  text += '\n';
  for (std::size_t i = 0; i < selected.rows.size(); ++i) {
    text += std::to_string(selected.rows[i]);
    text += ',';
    core::append_shortest(text, labels[i]);
    for (std::size_t c = 0; c < predictions.width; ++c) {
      text += ',';
      core::append_shortest(text, predictions.scores[i * predictions.width + c]);
    }
    text += '\n';
  }
  core::write_text_file(path, text);
}

}  // namespace

EvaluationRows parse_evaluation_rows(const std::string& text) {
  if (text == "all") return EvaluationRows::kAll;
  if (text == "train") return EvaluationRows::kTrain;
  if (text == "validation") return EvaluationRows::kValidation;
  if (text == "test") return EvaluationRows::kTest;
  throw_invalid("unknown split '" + text + "': use test, validation, train or all");
}

std::string to_string(EvaluationRows rows) {
  switch (rows) {
    case EvaluationRows::kAll:
      return "all";
    case EvaluationRows::kTrain:
      return "train";
    case EvaluationRows::kValidation:
      return "validation";
    case EvaluationRows::kTest:
      return "test";
  }
  return "unknown";
}

namespace {

// The headline numbers, named "<part>:<metric>" as training names its test metrics.
void record_evaluation(JobRecorder& recorder, const EvaluateJobOptions& options,
                       const EvaluateJobResult& result) {
  const std::string part = to_string(options.rows);
  std::vector<std::pair<std::string, double>> metrics = {
      {"rows", static_cast<double>(result.rows)}};
  if (result.binary) {
    const auto& b = *result.binary;
    metrics.insert(metrics.end(), {{"auc", b.roc_auc},
                                   {"aucpr", b.average_precision},
                                   {"logloss", b.log_loss},
                                   {"accuracy", b.accuracy},
                                   {"precision", b.at_cutoff.precision},
                                   {"recall", b.at_cutoff.recall},
                                   {"total_cost", b.at_cutoff.total_cost}});
  } else if (result.multiclass) {
    const auto& m = *result.multiclass;
    metrics.insert(metrics.end(), {{"mlogloss", m.log_loss},
                                   {"accuracy", m.accuracy},
                                   {"macro_f1", m.macro_f1},
                                   {"weighted_f1", m.weighted_f1}});
  } else if (result.regression) {
    const auto& r = *result.regression;
    metrics.insert(metrics.end(),
                   {{"rmse", r.rmse}, {"mae", r.mae}, {"r2", r.r2}, {"mape", r.mape}});
  }
  for (const auto& [name, value] : metrics) recorder.log_metric(part + ":" + name, 0, value);
  recorder.log_parameters(
      {{"model", result.bundle_directory.string()}, {"data", result.data_file}, {"rows", part}});
  recorder.add_local_artifact("evaluation.json", result.json_path, "application/json");
  recorder.add_local_artifact("evaluation.html", result.html_path, "text/html");
  recorder.add_local_artifact("scores.csv", result.scores_path, "text/csv");
  const std::string evaluation = file_uri(result.json_path);
  recorder.add_lineage({"bundle", file_uri(result.bundle_directory), "evaluation", evaluation});
  recorder.add_lineage({"data", file_uri(result.data_file), "evaluation", evaluation});
}

}  // namespace

EvaluateJobResult run_evaluate_job(const JobContext& job_context,
                                   const EvaluateJobOptions& options) {
  if (options.cutoff && !(*options.cutoff > 0 && *options.cutoff < 1))
    throw_invalid("--cutoff must lie strictly between 0 and 1, e.g. 0.3");
  const auto started = std::chrono::steady_clock::now();
  model::Predictor predictor = model::Predictor::load(options.model);
  const model::BundleMetadata& metadata = predictor.bundle().metadata();
  const model::TargetEncoding& target = metadata.target;

  EvaluateJobResult result;
  result.kind = target.kind;
  result.target = target.column;
  result.bundle_directory = model::Bundle::locate(options.model);
  result.data_file = options.data_file.empty() ? metadata.data_file : options.data_file;
  if (result.data_file.empty())
    throw_invalid("the bundle records no training file; name the rows to evaluate with --data");
  if (!options.baseline_column.empty() && target.kind != model::TargetKind::kBinary)
    throw_invalid("--baseline-column compares 0/1 flags and needs a binary target; '" +
                  target.column + "' is " + kind_name(target.kind));

  data::CsvOptions csv = options.csv;
  if (csv.threads == 0) csv.threads = job_context.threads;
  csv.progress_label = job_context.progress
                           ? "reading " + fs::path(result.data_file).filename().string()
                           : std::string();
  const data::Table table = data::read_csv(result.data_file, csv, &result.csv_report);
  // Fail on a missing column before the work of splitting and scoring.
  if (!options.baseline_column.empty()) table.column(std::string_view(options.baseline_column));
  std::vector<std::string> columns;
  for (const auto& column : predictor.bundle().recipe().input_schema())
    columns.push_back(column.name);
  for (const std::string& extra : {target.column, options.baseline_column})
    if (!extra.empty() && std::find(columns.begin(), columns.end(), extra) == columns.end())
      columns.push_back(extra);
  const LabelledRows selected =
      select_rows(table, metadata, options.rows, result.data_file, columns);
  result.rows = selected.rows.size();
  result.excluded_rows = selected.excluded;

  const data::Column& target_column = selected.table.column(std::string_view(target.column));
  std::vector<std::uint32_t> all_rows(selected.rows.size());
  std::iota(all_rows.begin(), all_rows.end(), 0u);
  const std::vector<float> encoded = model::encode_labels(target_column, target, all_rows);
  const std::vector<double> labels(encoded.begin(), encoded.end());
  const model::Predictions predictions = predictor.predict(selected.table, job_context.threads);

  const eval::CostMatrix costs = options.costs.value_or(metadata.costs);
  const double cutoff = options.cutoff.value_or(metadata.cutoff);
  eval::EvaluationPageContext context;
  context.class_names = target.classes;
  context.costs = costs;
  result.rows_description =
      options.rows == EvaluationRows::kAll
          ? "all labelled rows"
          : to_string(options.rows) + " split (" + metadata.split.to_string() + ")";
  const std::string& part_text = result.rows_description;
  context.title = "Evaluation of " + target.column + " on " +
                  fs::path(result.data_file).filename().string() + ", " + part_text;
  context.facts = {{"model", result.bundle_directory.string()},
                   {"data", result.data_file},
                   {"rows", part_text},
                   {"target", target.column + " (" + kind_name(target.kind) + ")"}};

  nlohmann::json json = {{"task", kind_name(target.kind)},
                         {"model", result.bundle_directory.string()},
                         {"data", result.data_file},
                         {"split", to_string(options.rows)},
                         {"split_spec", metadata.split.to_json()},
                         {"rows", result.rows},
                         {"excluded_rows", result.excluded_rows},
                         {"target", target.column},
                         {"classes", target.classes}};
  std::string html;
  if (target.kind == model::TargetKind::kBinary) {
    std::vector<std::uint8_t> binary_labels(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i)
      binary_labels[i] = static_cast<std::uint8_t>(labels[i]);
    eval::BinaryEvaluationOptions evaluation_options;
    evaluation_options.cutoff = cutoff;
    evaluation_options.costs = costs;
    std::optional<std::vector<std::uint8_t>> baseline;
    if (!options.baseline_column.empty())
      baseline = baseline_flags(selected.table, options.baseline_column);
    result.binary = eval::evaluate_binary(
        predictions.scores, binary_labels, evaluation_options,
        baseline ? std::optional<std::span<const std::uint8_t>>(*baseline) : std::nullopt);
    context.words = business_words(options, target);
    result.business_view = eval::describe_business_view(*result.binary, context.words);
    context.facts.push_back(
        {"cutoff", report::format_number(cutoff) + " (" + context.words.cutoff_origin + ")"});
    json["cutoff"] = cutoff;
    json["cutoff_source"] = options.cutoff ? "--cutoff" : "bundle";
    json["bundle_cutoff"] = metadata.cutoff;
    json["costs"] = costs;
    json["baseline_column"] = options.baseline_column.empty()
                                  ? nlohmann::json(nullptr)
                                  : nlohmann::json(options.baseline_column);
    json["metrics"] = *result.binary;
    json["summary"] = {{"chosen", result.business_view.chosen},
                       {"default", result.business_view.default_point},
                       {"optimal", result.business_view.optimal},
                       {"baseline", result.business_view.baseline},
                       {"comparison", result.business_view.comparison}};
    html = eval::render_binary_evaluation_html(*result.binary, context);
  } else if (target.kind == model::TargetKind::kMulticlass) {
    std::vector<std::int32_t> class_labels(labels.begin(), labels.end());
    result.multiclass =
        eval::evaluate_multiclass(predictions.scores, predictions.width, class_labels);
    json["metrics"] = *result.multiclass;
    html = eval::render_multiclass_evaluation_html(*result.multiclass, context);
  } else {
    result.regression = eval::regression_metrics(predictions.scores, labels);
    json["metrics"] = *result.regression;
    html = eval::render_regression_evaluation_html(*result.regression, context);
  }
  json["seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::error_code error;
  fs::create_directories(options.out, error);
  if (error)
    throw_io("cannot create output directory '" + options.out.string() + "': " + error.message());
  result.json_path = options.out / "evaluation.json";
  result.html_path = options.out / "evaluation.html";
  result.scores_path = options.out / "scores.csv";
  core::write_text_file(result.json_path, json.dump(2) + "\n");
  core::write_text_file(result.html_path, html);
  write_scores(result.scores_path, selected, labels, predictions, target.classes);
  result.json = std::move(json);
  if (options.recorder != nullptr) record_evaluation(*options.recorder, options, result);
  return result;
}

}  // namespace archml::jobs
