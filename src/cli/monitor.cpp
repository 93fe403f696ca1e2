// `archml monitor baseline|run|quality|schedule`: SageMaker Model Monitor's loop over the
// endpoint's data capture (docs/monitor.md). `baseline` turns the training data into
// statistics.json and constraints.json (SageMaker's formats) for the columns the model
// reads; `run` rebuilds the rows of captured requests, computes their statistics, checks
// them against the baseline and writes constraint_violations.json and report.html;
// `quality` joins labels to captured inferences by inference id; `schedule` runs the
// check periodically as a process of its own, recording each execution in the catalog
// and counting violations on its /metrics. Violations exit 6 (kViolationsExitCode), so
// cron or CI can act on them.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "archml/core/atomic_file.h"
#include "archml/core/error.h"
#include "archml/core/mapped_file.h"
#include "archml/core/prometheus_text.h"
#include "archml/core/text_file.h"
#include "archml/data/csv_reader.h"
#include "archml/jobs/artifact_upload.h"
#include "archml/model/hyperparameters.h"
#include "archml/model/target_encoding.h"
#include "archml/monitor/checks.h"
#include "archml/monitor/monitor_files.h"
#include "archml/monitor/monitor_report.h"
#include "archml/monitor/quality.h"
#include "archml/serve/capture_reader.h"
#include "archml/serve/http_server.h"
#include "archml/serve/serving_model.h"
#include "archml/serve/utc_time.h"
#include "archml/store/open_store.h"
#include "archml/store/pushgateway_client.h"
#include "archml/track/monitoring_log.h"
#include "cli/catalog_output.h"
#include "cli/commands.h"
#include "cli/run_flags.h"

namespace archml::cli {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

constexpr int kViolationsExitCode = 6;

struct BaselineFlags {
  std::string data;
  std::string model;
  std::string out;
  double threshold = 0.1;
  bool json = false;
};

struct MonitorRunFlags {
  std::string capture;
  std::string baseline;
  std::string since;
  std::string until;
  std::string out;
  bool json = false;
};

// The baseline folder's own file: what `run` needs besides SageMaker's two files.
constexpr const char* kBaselineFile = "baseline.json";

monitor::FeatureStatistics column_statistics(const data::Column& column,
                                             monitor::InferredType declared) {
  monitor::FeatureAccumulator accumulator(column.name());
  const std::size_t rows = column.size();
  if (column.type() == data::ColumnType::kString) {
    std::vector<std::uint64_t> counts(column.dictionary().size(), 0);
    for (std::size_t r = 0; r < rows; ++r) {
      if (column.is_missing(r))
        accumulator.add_missing();
      else
        ++counts[column.codes()[r]];
    }
    for (std::uint32_t code = 0; code < counts.size(); ++code)
      accumulator.add_string(column.dictionary().at(code), counts[code]);
  } else {
    const bool integral = column.type() != data::ColumnType::kFloat64;
    for (std::size_t r = 0; r < rows; ++r) {
      if (column.is_missing(r))
        accumulator.add_missing();
      else
        accumulator.add_number(column.number(r), integral);
    }
  }
  return std::move(accumulator).finish(declared);
}

void write_json_file(const fs::path& path, const Json& json) {
  core::write_text_file(path, json.dump(2) + "\n");
}

Json read_json_file(const fs::path& path) {
  const std::string text = core::read_text_file(path, "baseline file");
  try {
    return Json::parse(text);
  } catch (const Json::exception&) {
    throw_invalid(path.string() +
                  " is not valid JSON; point --baseline at a folder that "
                  "archml monitor baseline wrote");
  }
}

// A binary model's metrics on the baseline rows with a target: what `monitor quality`
// holds live metrics to.
Json baseline_quality(const serve::ServingModel& model, const data::Table& table,
                      const std::string& target, unsigned threads) {
  if (table.find(target) < 0) return Json::object();
  const data::Column& column = table.column(target);
  std::vector<std::uint32_t> rows;
  for (std::size_t r = 0; r < table.row_count(); ++r)
    if (!column.is_missing(r)) rows.push_back(static_cast<std::uint32_t>(r));
  const auto labels =
      model::encode_labels(column, model.predictor().bundle().metadata().target, rows);
  const model::Predictions predictions = model.predictor().predict(table, threads);
  std::vector<double> scores;
  std::vector<std::uint8_t> truth;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    scores.push_back(predictions.scores[rows[i]]);
    truth.push_back(labels[i] > 0.5f ? 1 : 0);
  }
  const auto result =
      monitor::evaluate_quality(scores, truth, model.predictor().bundle().metadata().cutoff, {}, 0);
  return result.live;
}

void run_baseline(const jobs::JobContext& context, const BaselineFlags& flags) {
  const fs::path bundle = jobs::fetch_bundle(context, flags.model);
  const auto model = serve::ServingModel::load(bundle, context.threads);
  const auto& schema = model->predictor().bundle().recipe().input_schema();
  data::CsvOptions csv;
  for (const auto& column : schema) {
    csv.schema[column.name] = column.type;
    csv.columns.push_back(column.name);
  }
  const std::string& target = model->predictor().bundle().recipe().target();
  const auto& encoding = model->predictor().bundle().metadata().target;
  const bool binary = encoding.kind == model::TargetKind::kBinary;
  if (binary) csv.columns.push_back(target);
  const data::Table table = data::read_csv(flags.data, csv);
  const Json quality =
      binary ? baseline_quality(*model, table, target, context.threads) : Json::object();
  monitor::DatasetStatistics statistics;
  statistics.item_count = table.row_count();
  for (const auto& input : schema) {
    const auto declared = input.type == data::ColumnType::kString ? monitor::InferredType::kString
                                                                  : monitor::InferredType::kUnknown;
    statistics.features.push_back(column_statistics(table.column(input.name), declared));
  }
  monitor::Constraints constraints = monitor::suggest_constraints(statistics);
  constraints.config.comparison_threshold = flags.threshold;
  constraints.config.categorical_comparison_threshold = flags.threshold;
  fs::create_directories(flags.out);
  const fs::path out(flags.out);
  write_json_file(out / "statistics.json", monitor::statistics_json(statistics));
  write_json_file(out / "constraints.json", monitor::constraints_json(constraints));
  const auto& metadata = model->predictor().bundle().metadata();
  write_json_file(out / kBaselineFile, {{"model", flags.model},
                                        {"model_version", model->version()},
                                        {"data", flags.data},
                                        {"target", model->predictor().bundle().recipe().target()},
                                        {"training_columns", model->layout().training_columns},
                                        {"schema_columns", model->layout().schema_columns},
                                        {"feature_names", model->layout().feature_names},
                                        {"cutoff", metadata.cutoff},
                                        {"metrics", metadata.metrics},
                                        {"quality", quality}});
  if (flags.json) {
    print_json({{"out", flags.out},
                {"item_count", statistics.item_count},
                {"features", statistics.features.size()},
                {"files", {"statistics.json", "constraints.json", kBaselineFile}}});
    return;
  }
  std::printf(
      "baseline of %zu rows, %zu columns the model reads; wrote %s/statistics.json, "
      "constraints.json and %s\n",
      static_cast<std::size_t>(statistics.item_count), statistics.features.size(),
      flags.out.c_str(), kBaselineFile);
}

struct Baseline {
  monitor::DatasetStatistics statistics;
  monitor::Constraints constraints;
  serve::RowLayout layout;
};

Baseline read_baseline(const std::string& folder) {
  const fs::path dir(folder);
  if (!fs::exists(dir / "statistics.json") || !fs::exists(dir / "constraints.json"))
    throw Error(ErrorKind::kNotFound,
                folder +
                    " holds no statistics.json and constraints.json; make them with "
                    "archml monitor baseline --data TRAIN.csv --model MODEL --out " +
                    folder);
  Baseline baseline;
  baseline.statistics = monitor::parse_statistics(read_json_file(dir / "statistics.json"),
                                                  (dir / "statistics.json").string());
  baseline.constraints = monitor::parse_constraints(read_json_file(dir / "constraints.json"),
                                                    (dir / "constraints.json").string());
  if (fs::exists(dir / kBaselineFile)) {
    const Json own = read_json_file(dir / kBaselineFile);
    baseline.layout.training_columns = own.value("training_columns", std::vector<std::string>{});
    baseline.layout.schema_columns = own.value("schema_columns", std::vector<std::string>{});
    baseline.layout.feature_names = own.value("feature_names", std::vector<std::string>{});
  }
  if (baseline.layout.schema_columns.empty())  // a SageMaker baseline: its features, in order
    for (const auto& feature : baseline.statistics.features)
      baseline.layout.schema_columns.push_back(feature.name);
  if (baseline.layout.training_columns.empty())
    baseline.layout.training_columns = baseline.layout.schema_columns;
  return baseline;
}

// Calls `visit(text, name)` for every capture file (*.jsonl) under `uri` (a folder, whose
// files are mapped, or s3://bucket/prefix, whose objects are read whole).
template <typename Visit>
void for_each_capture_file(const jobs::JobContext& context, const std::string& uri,
                           const Visit& visit) {
  std::size_t files = 0;
  auto is_capture = [](std::string_view name) {
    return name.size() >= 6 && name.substr(name.size() - 6) == ".jsonl";
  };
  if (store::is_s3_uri(uri)) {
    auto store = store::open_artifact_store(uri, context.store);
    for (const auto& object : store->list("")) {
      if (!is_capture(object.key)) continue;
      ++files;
      visit(std::string_view(store->get_bytes(object.key)), uri + "/" + object.key);
    }
  } else {
    const fs::path root(store::local_path(uri));
    if (!fs::is_directory(root))
      throw Error(ErrorKind::kNotFound, "--capture " + uri +
                                            " is not a folder; name the "
                                            "--capture-dir of archml serve or s3://bucket/prefix");
    std::vector<fs::path> paths;
    for (const auto& entry : fs::recursive_directory_iterator(root))
      if (entry.is_regular_file() && is_capture(entry.path().filename().string()))
        paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
      ++files;
      if (fs::file_size(path) == 0) continue;
      const core::MappedFile mapped(path.string());
      visit(mapped.view(), path.string());
    }
  }
  if (files == 0)
    throw Error(ErrorKind::kNotFound, "no capture files (*.jsonl) under " + uri +
                                          "; name the --capture-dir of archml serve");
}

// Every capture record under `uri` in the time window.
serve::CaptureParse read_capture(const jobs::JobContext& context, const std::string& uri,
                                 const std::string& since, const std::string& until) {
  serve::CaptureParse parse;
  for_each_capture_file(context, uri, [&](std::string_view text, const std::string& name) {
    serve::parse_capture_file(text, name, since, until, context.threads, parse);
  });
  return parse;
}

struct CheckOutcome {
  serve::CapturedRows rows;
  monitor::CheckResult result;
  bool truncated = false;
};

// --since/--until: ISO 8601 UTC text, compared as text with the records' inferenceTime.
void check_time_flag(const std::string& text, const char* flag) {
  if (text.empty()) return;
  auto digits = [&](std::size_t from, std::size_t count) {
    for (std::size_t i = from; i < from + count; ++i)
      if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
    return true;
  };
  const bool ok = digits(0, 4) && text.size() >= 10 && text[4] == '-' && digits(5, 2) &&
                  text[7] == '-' && digits(8, 2) && (text.size() == 10 || text[10] == 'T');
  if (!ok)
    throw_invalid(std::string(flag) + " '" + text +
                  "' is not a UTC time in ISO 8601, e.g. 2026-12-08 or 2026-12-08T04:00");
}

// One data-quality check: the capture in [since, until) against the baseline; writes
// constraint_violations.json, statistics.json and report.html to `out`.
CheckOutcome check_capture(const jobs::JobContext& context, const std::string& baseline_dir,
                           const std::string& capture_uri, const std::string& since,
                           const std::string& until, const fs::path& out) {
  check_time_flag(since, "--since");
  check_time_flag(until, "--until");
  const Baseline baseline = read_baseline(baseline_dir);
  serve::ColumnTypes types;
  for (const auto& feature : baseline.statistics.features)
    types.emplace_back(feature.name, feature.inferred_type);
  serve::CapturedRowsBuilder builder(baseline.layout, types, context.threads);
  serve::CaptureParse capture;
  for_each_capture_file(context, capture_uri, [&](std::string_view text, const std::string& name) {
    builder.add_file(text, name, since, until, capture);
  });
  for (const auto& warning : capture.warnings)
    std::fprintf(stderr, "warning: %s\n", warning.c_str());
  CheckOutcome outcome;
  outcome.truncated = capture.truncated;
  outcome.rows = std::move(builder).finish();
  const serve::CapturedRows& rows = outcome.rows;
  for (const auto& failure : rows.failures)
    std::fprintf(stderr, "warning: a captured request could not be read: %s\n", failure.c_str());
  // Training columns the recipe drops arrive in full CSV rows: known, not extra.
  std::vector<std::string> live_columns;
  for (const auto& column : rows.columns) {
    const auto& training = baseline.layout.training_columns;
    const auto& schema = baseline.layout.schema_columns;
    const bool dropped = std::find(training.begin(), training.end(), column) != training.end() &&
                         std::find(schema.begin(), schema.end(), column) == schema.end();
    if (!dropped) live_columns.push_back(column);
  }
  // No row, nothing to check: every column would count as missing.
  if (rows.rows > 0)
    outcome.result = monitor::check_constraints(baseline.constraints, baseline.statistics,
                                                rows.statistics, live_columns);
  fs::create_directories(out);
  write_json_file(out / "constraint_violations.json",
                  monitor::violations_json(outcome.result.violations));
  write_json_file(out / "statistics.json", monitor::statistics_json(rows.statistics));
  monitor::ReportContext report;
  report.capture = capture_uri;
  report.baseline = baseline_dir;
  report.records = rows.records;
  report.failed_records = rows.failed_records;
  core::write_text_file(
      out / "report.html",
      monitor::monitor_report_html(report, baseline.statistics, rows.statistics, outcome.result));
  return outcome;
}

void run_monitor(const jobs::JobContext& context, const MonitorRunFlags& flags) {
  const CheckOutcome outcome =
      check_capture(context, flags.baseline, flags.capture, flags.since, flags.until, flags.out);
  const serve::CapturedRows& rows = outcome.rows;
  const monitor::CheckResult& result = outcome.result;
  if (flags.json) {
    Json drifts = Json::array();
    for (const auto& drift : result.drifts)
      drifts.push_back({{"feature", drift.feature_name},
                        {"distance", drift.distance},
                        {"threshold", drift.threshold}});
    Json summary = monitor::violations_json(result.violations);
    summary["records"] = rows.records;
    summary["rows"] = rows.rows;
    summary["failed_records"] = rows.failed_records;
    summary["truncated_files"] = outcome.truncated;
    summary["drift"] = drifts;
    summary["out"] = flags.out;
    print_json(summary);
  } else {
    std::printf(
        "%llu captured requests, %llu rows; %zu violation(s); wrote %s/"
        "constraint_violations.json, statistics.json and report.html\n",
        static_cast<unsigned long long>(rows.records), static_cast<unsigned long long>(rows.rows),
        result.violations.size(), flags.out.c_str());
    for (const auto& v : result.violations)
      std::printf("  %s %s: %s\n", v.constraint_check_type.c_str(), v.feature_name.c_str(),
                  v.description.c_str());
  }
  if (rows.rows == 0)
    std::fprintf(stderr, "warning: no captured request%s in the window; nothing was checked\n",
                 rows.records > 0 ? " that could be read" : "");
  if (!result.violations.empty()) throw CLI::RuntimeError(kViolationsExitCode);
}

// --capture and --baseline, which every command but baseline takes.
void add_capture_flags(CLI::App& command, std::string& capture, std::string& baseline) {
  command.add_option("-c,--capture", capture, "Capture folder or s3://bucket/prefix")->required();
  command.add_option("-b,--baseline", baseline, "Folder archml monitor baseline wrote")->required();
}

struct QualityFlags {
  std::string capture;
  std::string baseline;
  std::string ground_truth;
  std::string since;
  std::string until;
  std::string out;
  double tolerance = 0.05;
  bool json = false;
};

// The score of a one-row answer: the first CSV field, or predictions[0].score in JSON.
bool answer_score(const serve::CapturedEvent& event, double& score) {
  std::string_view text = event.output;
  if (!text.empty() && (text.front() == '{' || text.front() == '[')) {
    try {
      const Json json = Json::parse(text);
      if (json.at("predictions").size() != 1) return false;
      const Json& first = json.at("predictions").at(0);
      score = first.is_object() ? first.at("score").get<double>() : first.get<double>();
      return true;
    } catch (const Json::exception&) {
      return false;
    }
  }
  const std::size_t newline = text.find('\n');
  if (newline != std::string_view::npos &&
      text.find_first_not_of(" \r\n", newline) != std::string_view::npos)
    return false;  // several rows: one label cannot stand for them
  const std::size_t end = text.find_first_of(",\r\n");
  const std::string_view field = text.substr(0, end);
  const auto parsed = std::from_chars(field.data(), field.data() + field.size(), score);
  return parsed.ec == std::errc() && parsed.ptr == field.data() + field.size();
}

// inference id -> label, from a CSV with a header naming `inference_id` (or inferenceId)
// and `label` (or groundTruthLabel).
std::map<std::string, std::uint8_t> read_ground_truth(const std::string& path) {
  std::istringstream lines(core::read_text_file(path, "ground-truth file"));
  std::string line;
  std::getline(lines, line);
  std::vector<std::string> header;
  for (std::stringstream cells(line); std::getline(cells, line, ',');) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    header.push_back(line);
  }
  auto column = [&](std::initializer_list<const char*> names) -> std::size_t {
    for (std::size_t c = 0; c < header.size(); ++c)
      for (const char* name : names)
        if (header[c] == name) return c;
    throw_invalid(path +
                  ": the header needs columns inference_id and label (e.g. "
                  "'inference_id,label')");
  };
  const std::size_t id_column = column({"inference_id", "inferenceId"});
  const std::size_t label_column = column({"label", "groundTruthLabel"});
  std::map<std::string, std::uint8_t> labels;
  std::size_t number = 1;
  while (std::getline(lines, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> cells;
    for (std::stringstream in(line); std::getline(in, line, ',');) cells.push_back(line);
    if (cells.size() <= std::max(id_column, label_column))
      throw_invalid(path + ": line " + std::to_string(number) + " has too few fields");
    const std::string& label = cells[label_column];
    if (label != "0" && label != "1")
      throw_invalid(path + ": line " + std::to_string(number) + ": label '" + label +
                    "' is not 0 or 1");
    labels[cells[id_column]] = label == "1" ? 1 : 0;
  }
  return labels;
}

void run_quality(const jobs::JobContext& context, const QualityFlags& flags) {
  const Json own = read_json_file(fs::path(flags.baseline) / kBaselineFile);
  const double cutoff = own.value("cutoff", 0.5);
  std::map<std::string, double> baseline_metrics;
  const Json metrics = own.contains("quality") ? own.at("quality") : Json::object();
  for (const auto& [name, value] : metrics.items())
    if (value.is_number()) baseline_metrics[name] = value.get<double>();
  check_time_flag(flags.since, "--since");
  check_time_flag(flags.until, "--until");
  const auto labels = read_ground_truth(flags.ground_truth);
  const serve::CaptureParse capture =
      read_capture(context, flags.capture, flags.since, flags.until);
  for (const auto& warning : capture.warnings)
    std::fprintf(stderr, "warning: %s\n", warning.c_str());
  std::vector<double> scores;
  std::vector<std::uint8_t> truth;
  std::uint64_t unlabelled = 0;
  for (const auto& event : capture.events) {
    const auto found =
        labels.find(event.inference_id.empty() ? event.event_id : event.inference_id);
    double score = 0;
    if (found == labels.end() || !answer_score(event, score)) {
      ++unlabelled;
      continue;
    }
    scores.push_back(score);
    truth.push_back(found->second);
  }
  if (scores.empty())
    throw_invalid("no captured inference has a label in " + flags.ground_truth +
                  "; its inference_id column must hold the X-Amzn-SageMaker-Inference-Id the "
                  "requests sent (or the capture's eventId)");
  const monitor::QualityResult result =
      monitor::evaluate_quality(scores, truth, cutoff, baseline_metrics, flags.tolerance);
  const fs::path out(flags.out);
  fs::create_directories(out);
  write_json_file(out / "constraint_violations.json", monitor::violations_json(result.violations));
  Json summary = monitor::violations_json(result.violations);
  summary["labelled"] = result.rows;
  summary["unlabelled"] = unlabelled;
  summary["live"] = result.live;
  summary["baseline"] = result.baseline;
  write_json_file(out / "quality.json", summary);
  if (flags.json) {
    print_json(summary);
  } else {
    std::printf("%llu labelled inferences (%llu without a label)\n",
                static_cast<unsigned long long>(result.rows),
                static_cast<unsigned long long>(unlabelled));
    for (const auto& [name, value] : result.live) {
      const auto base = result.baseline.find(name);
      if (base == result.baseline.end())
        std::printf("  %-9s live %.4f\n", name.c_str(), value);
      else
        std::printf("  %-9s live %.4f  baseline %.4f\n", name.c_str(), value, base->second);
    }
    for (const auto& v : result.violations)
      std::printf("  %s %s: %s\n", v.constraint_check_type.c_str(), v.feature_name.c_str(),
                  v.description.c_str());
  }
  if (!result.violations.empty()) throw CLI::RuntimeError(kViolationsExitCode);
}

void add_quality(CLI::App& monitor, const jobs::JobContext& context) {
  auto flags = std::make_shared<QualityFlags>();
  auto* command = monitor.add_subcommand(
      "quality",
      "Model quality on live traffic: labels joined to captured inferences.\n\n"
      "Joins the ground-truth CSV (columns inference_id and label, 0 or 1) to the captured\n"
      "inferences by eventMetadata.inferenceId (the X-Amzn-SageMaker-Inference-Id header\n"
      "of the request; else the capture's eventId), reads each one-row answer's score,\n"
      "and reports auc, aucpr, accuracy, precision and recall (at the bundle's cutoff)\n"
      "against the baseline's validation metrics. A metric below the baseline's by more\n"
      "than --tolerance is a model_quality_check violation: exit 6.\n\n"
      "Example:\n"
      "  archml monitor quality --capture capture/ --baseline base --ground-truth labels.csv \\\n"
      "      --out quality");
  add_capture_flags(*command, flags->capture, flags->baseline);
  command
      ->add_option("-g,--ground-truth", flags->ground_truth,
                   "CSV with columns inference_id and label (0/1)")
      ->required();
  command->add_option("--since", flags->since, "Only inferences at or after this UTC time");
  command->add_option("--until", flags->until, "Only inferences before this UTC time");
  command->add_option("-o,--out", flags->out, "Folder for quality.json and the violations")
      ->required();
  command
      ->add_option("--tolerance", flags->tolerance,
                   "How far below the baseline a metric may fall before it is a violation")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  command->add_flag("--json", flags->json, "Print the summary as JSON");
  command->callback([flags, &context] { run_quality(context, *flags); });
}

struct ScheduleFlags {
  std::string capture;
  std::string baseline;
  std::string out;
  std::string every = "1h";
  std::string window;
  std::string name = "default";
  std::string host = "127.0.0.1";
  int port = 9465;
  std::int64_t executions = 0;
  bool json = false;
};

// "90s", "15m", "1h", "1d" (or plain seconds) in seconds; throws archml::Error.
double parse_duration(const std::string& text, const char* flag) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto parsed = std::from_chars(text.data(), end, value);
  const std::string_view unit(parsed.ptr, static_cast<std::size_t>(end - parsed.ptr));
  double scale = 0;
  if (unit.empty() || unit == "s")
    scale = 1;
  else if (unit == "m")
    scale = 60;
  else if (unit == "h")
    scale = 3600;
  else if (unit == "d")
    scale = 86400;
  if (parsed.ec != std::errc() || scale == 0 || !(value * scale >= 1))
    throw_invalid(std::string(flag) + " '" + text +
                  "' is not a duration of at least 1 s, e.g. 90s, 15m, 1h or 1d");
  return value * scale;
}

// What /metrics (and the Pushgateway) say about the schedule's executions.
class ScheduleMetrics {
 public:
  explicit ScheduleMetrics(std::string schedule) : schedule_(std::move(schedule)) {}

  void update(const track::MonitoringExecution& execution, const monitor::CheckResult* result) {
    std::lock_guard lock(mutex_);
    ++executions_[execution.status];
    last_time_ = execution.ended_at;
    last_records_ = static_cast<double>(execution.records);
    violations_.clear();
    drift_.clear();
    if (result == nullptr) return;
    for (const auto& v : result->violations) violations_[v.constraint_check_type] += 1;
    for (const auto& d : result->drifts) drift_[d.feature_name] = d.distance;
  }

  std::string text() const {
    std::lock_guard lock(mutex_);
    const core::PrometheusLabel schedule{"schedule", schedule_};
    core::PrometheusWriter writer;
    std::vector<core::PrometheusSample> samples;
    for (const char* status : {"Completed", "CompletedWithViolations", "Failed"}) {
      const auto found = executions_.find(status);
      samples.push_back({{schedule, {"status", status}},
                         found == executions_.end() ? 0.0 : static_cast<double>(found->second)});
    }
    writer.counter("archml_monitor_executions_total", "Monitoring executions by status", samples);
    samples.clear();
    for (const char* check : kCheckTypes) {
      const auto found = violations_.find(check);
      samples.push_back({{schedule, {"check", check}},
                         found == violations_.end() ? 0.0 : static_cast<double>(found->second)});
    }
    writer.gauge("archml_monitor_violations",
                 "Violations of the last execution by constraint check type", samples);
    samples.clear();
    for (const auto& [feature, distance] : drift_)
      samples.push_back({{schedule, {"feature", feature}}, distance});
    writer.gauge("archml_monitor_drift_distance", "The last execution's drift distance per feature",
                 samples);
    writer.gauge("archml_monitor_last_records", "Captured requests the last execution read",
                 {{{schedule}, last_records_}});
    writer.gauge("archml_monitor_last_execution_timestamp_seconds",
                 "When the last execution ended (Unix time)", {{{schedule}, last_time_}});
    return writer.text();
  }

 private:
  static constexpr const char* kCheckTypes[] = {"data_type_check",      "completeness_check",
                                                "baseline_drift_check", "missing_column_check",
                                                "extra_column_check",   "categorical_values_check"};
  std::string schedule_;
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> executions_;
  std::map<std::string, std::uint64_t> violations_;
  std::map<std::string, double> drift_;
  double last_records_ = 0;
  double last_time_ = 0;
};

double unix_seconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration<double>(time.time_since_epoch()).count();
}

// One scheduled execution: the check over [now - window, now), recorded in the catalog.
track::MonitoringExecution execute_once(const jobs::JobContext& context, const ScheduleFlags& flags,
                                        double window_seconds, track::MonitoringLog& log,
                                        ScheduleMetrics& metrics) {
  const auto start = std::chrono::system_clock::now();
  track::MonitoringExecution execution;
  execution.schedule = flags.name;
  execution.started_at = unix_seconds(start);
  execution.window_end = serve::iso8601_utc(start);
  execution.window_start =
      serve::iso8601_utc(start - std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                     std::chrono::duration<double>(window_seconds)));
  std::string stamp = execution.window_end.substr(0, 19);
  std::erase(stamp, ':');
  std::erase(stamp, '-');
  const fs::path out = fs::path(flags.out) / stamp;
  execution.output = out.string();
  std::optional<CheckOutcome> outcome;
  try {
    outcome = check_capture(context, flags.baseline, flags.capture, execution.window_start,
                            execution.window_end, out);
    execution.records = static_cast<std::int64_t>(outcome->rows.records);
    execution.violations = static_cast<std::int64_t>(outcome->result.violations.size());
    execution.status = execution.violations > 0 ? "CompletedWithViolations" : "Completed";
    if (outcome->rows.records == 0) {
      execution.status = "Failed";
      execution.failure_reason = "no captured request in the window";
    }
  } catch (const Error& error) {
    execution.status = "Failed";
    execution.failure_reason = error.what();
  }
  execution.ended_at = unix_seconds(std::chrono::system_clock::now());
  execution.id = log.record(execution);
  metrics.update(execution, outcome ? &outcome->result : nullptr);
  if (!context.workspace.pushgateway.empty()) {
    try {
      const std::string url =
          store::pushgateway_group_url(store::pushgateway_base_url(context.workspace.pushgateway),
                                       {"archml_monitor", {{"schedule", flags.name}}});
      store::pushgateway_put(url, metrics.text(), std::chrono::milliseconds(5000));
    } catch (const Error& error) {
      std::fprintf(stderr, "warning: %s\n", error.what());
    }
  }
  if (flags.json) {
    std::printf("%s\n", Json{{"id", execution.id},
                             {"schedule", execution.schedule},
                             {"status", execution.status},
                             {"window_start", execution.window_start},
                             {"window_end", execution.window_end},
                             {"records", execution.records},
                             {"violations", execution.violations},
                             {"output", execution.output},
                             {"failure_reason", execution.failure_reason}}
                            .dump()
                            .c_str());
  } else {
    std::printf("execution %lld: %s, window %s .. %s, %lld requests, %lld violation(s)%s%s\n",
                static_cast<long long>(execution.id), execution.status.c_str(),
                execution.window_start.c_str(), execution.window_end.c_str(),
                static_cast<long long>(execution.records),
                static_cast<long long>(execution.violations),
                execution.failure_reason.empty() ? "" : ": ", execution.failure_reason.c_str());
  }
  std::fflush(stdout);
  return execution;
}

void run_schedule(const jobs::JobContext& context, const ScheduleFlags& flags) {
  const double every = parse_duration(flags.every, "--every");
  const double window = flags.window.empty() ? every : parse_duration(flags.window, "--window");
  read_baseline(flags.baseline);  // a missing baseline fails the start, not every execution
  // Signals go to the waiting thread alone: blocked before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  track::MonitoringLog log(open_catalog(context));
  ScheduleMetrics metrics(flags.name);
  serve::HttpServerOptions options;
  options.host = flags.host;
  options.port = flags.port;
  options.grace = std::chrono::milliseconds(2000);
  serve::HttpServer server(options, [&metrics](const auto& request, auto& response) {
    if (request.target != "/metrics") {
      response.status = 404;
      response.content_type = "text/plain";
      response.body = "archml monitor schedule serves /metrics\n";
      return;
    }
    response.content_type = std::string(core::PrometheusWriter::kContentType);
    response.body = metrics.text();
  });
  std::printf(
      "archml monitor schedule %s: every %s over %s of capture; metrics on "
      "http://%s:%d/metrics\n",
      flags.name.c_str(), flags.every.c_str(),
      flags.window.empty() ? flags.every.c_str() : flags.window.c_str(), flags.host.c_str(),
      server.port());
  std::fflush(stdout);
  std::thread serving([&server] { server.run(); });

  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  std::thread waiter([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    std::lock_guard lock(mutex);
    stopping = true;
    wake.notify_all();
  });

  std::int64_t done = 0;
  bool violations = false;
  auto next = std::chrono::steady_clock::now();
  while (true) {
    const auto execution = execute_once(context, flags, window, log, metrics);
    violations = violations || execution.violations > 0;
    if (flags.executions > 0 && ++done >= flags.executions) break;
    next += std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(every));
    std::unique_lock lock(mutex);
    if (wake.wait_until(lock, next, [&] { return stopping; })) break;
  }
  {
    std::lock_guard lock(mutex);
    if (!stopping) kill(getpid(), SIGTERM);  // wakes the waiter, still in sigwait
  }
  waiter.join();
  std::fprintf(stderr, "archml monitor schedule: stopping\n");
  server.stop();
  serving.join();
  if (flags.executions > 0 && violations) throw CLI::RuntimeError(kViolationsExitCode);
}

void add_schedule(CLI::App& monitor, const jobs::JobContext& context) {
  auto flags = std::make_shared<ScheduleFlags>();
  auto* command = monitor.add_subcommand(
      "schedule",
      "Run the data-quality check on a schedule, as a process of its own.\n\n"
      "Every --every it checks the capture of the last --window (default: --every)\n"
      "against the baseline, writes the results to OUT/<yyyymmddThhmmss>/ as monitor run\n"
      "does, records the execution in the catalog (status Completed,\n"
      "CompletedWithViolations or Failed) and serves the counts on its own /metrics\n"
      "(archml_monitor_executions_total, archml_monitor_violations by check,\n"
      "archml_monitor_drift_distance by feature); with --pushgateway (or\n"
      "ARCHML_PUSHGATEWAY_URL) it also pushes them there. SIGTERM or SIGINT stops it\n"
      "between executions (exit 0). With --executions N it stops after N and exits 6 when\n"
      "any had violations.\n\n"
      "Example:\n"
      "  archml monitor schedule --every 1h --capture capture/ --baseline base \\\n"
      "      --out checks --port 9465 &\n"
      "  curl -s http://127.0.0.1:9465/metrics | grep archml_monitor_violations");
  add_capture_flags(*command, flags->capture, flags->baseline);
  command->add_option("-o,--out", flags->out, "Folder for the executions' results")->required();
  command->add_option("--every", flags->every, "How often: 90s, 15m, 1h, 1d")
      ->capture_default_str();
  command->add_option("--window", flags->window,
                      "How much capture each execution reads, back from its start\n"
                      "(default: --every)");
  command->add_option("--name", flags->name, "The schedule's name in the catalog and metrics")
      ->capture_default_str();
  command->add_option("--host", flags->host, "Address /metrics listens on")->capture_default_str();
  command->add_option("--port", flags->port, "Port of /metrics (0: any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  command->add_option("--executions", flags->executions, "Stop after N executions (0: never)")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 40));
  command->add_flag("--json", flags->json, "Print each execution as a line of JSON");
  command->callback([flags, &context] { run_schedule(context, *flags); });
}

struct ExecutionsFlags {
  std::string schedule;
  std::int64_t limit = 20;
  bool json = false;
};

void run_executions(const jobs::JobContext& context, const ExecutionsFlags& flags) {
  track::MonitoringLog log(read_catalog(context));
  const auto executions = log.executions(flags.schedule, flags.limit);
  if (flags.json) {
    Json list = Json::array();
    for (const auto& e : executions)
      list.push_back({{"id", e.id},
                      {"schedule", e.schedule},
                      {"started_at", e.started_at},
                      {"ended_at", e.ended_at},
                      {"status", e.status},
                      {"window_start", e.window_start},
                      {"window_end", e.window_end},
                      {"records", e.records},
                      {"violations", e.violations},
                      {"output", e.output},
                      {"failure_reason", e.failure_reason}});
    print_json(list);
    return;
  }
  if (executions.empty()) {
    std::printf("no monitoring execution recorded%s\n",
                flags.schedule.empty() ? "" : (" for schedule " + flags.schedule).c_str());
    return;
  }
  std::printf("%-6s %-12s %-24s %-24s %9s %10s  %s\n", "id", "schedule", "status", "window end",
              "requests", "violations", "output");
  for (const auto& e : executions)
    std::printf("%-6lld %-12s %-24s %-24s %9lld %10lld  %s%s%s\n", static_cast<long long>(e.id),
                e.schedule.c_str(), e.status.c_str(), e.window_end.c_str(),
                static_cast<long long>(e.records), static_cast<long long>(e.violations),
                e.output.c_str(), e.failure_reason.empty() ? "" : ": ", e.failure_reason.c_str());
}

void add_executions(CLI::App& monitor, const jobs::JobContext& context) {
  auto flags = std::make_shared<ExecutionsFlags>();
  auto* command = monitor.add_subcommand(
      "executions",
      "The executions archml monitor schedule recorded in the catalog, newest first.\n\n"
      "Example:\n"
      "  archml monitor executions --schedule hourly --limit 5 --json");
  command->add_option("--schedule", flags->schedule, "Only this schedule's (--name)");
  command->add_option("--limit", flags->limit, "At most this many")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1000000}));
  command->add_flag("--json", flags->json, "Print them as JSON");
  command->callback([flags, &context] { run_executions(context, *flags); });
}

void add_baseline(CLI::App& monitor, const jobs::JobContext& context) {
  auto flags = std::make_shared<BaselineFlags>();
  auto* command = monitor.add_subcommand(
      "baseline",
      "Baseline statistics and suggested constraints from the training data.\n\n"
      "Reads the columns the model's recipe takes (its input schema) from the training\n"
      "CSV and writes, in SageMaker Model Monitor's formats:\n"
      "  statistics.json   counts, mean, std_dev, min, max and a quantile sketch per number\n"
      "                    column; the count of each value per string column\n"
      "  constraints.json  types, completeness, non-negativity, string domains and the\n"
      "                    drift threshold (monitoring_config.distribution_constraints)\n"
      "  baseline.json     archml's own: the model's column layouts and metrics\n\n"
      "Examples:\n"
      "  archml monitor baseline --data train.csv --model models:/fraud@production --out base\n"
      "  archml monitor baseline --data train.csv --model runs/fraud --out base --threshold 0.15");
  command->add_option("-d,--data", flags->data, "Training CSV (the data the model was fit on)")
      ->required();
  command->add_option("-m,--model", flags->model, kModelFlagHelp)->required();
  command->add_option("-o,--out", flags->out, "Folder for the baseline files")->required();
  command
      ->add_option("--threshold", flags->threshold,
                   "Drift threshold: the largest L-infinity distance between baseline and\n"
                   "live distributions that is not a violation (SageMaker's default 0.1;\n"
                   "raised automatically for small live samples, docs/monitor.md)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  command->add_flag("--json", flags->json, "Print the summary as JSON");
  command->callback([flags, &context] { run_baseline(context, *flags); });
}

void add_run(CLI::App& monitor, const jobs::JobContext& context) {
  auto flags = std::make_shared<MonitorRunFlags>();
  auto* command = monitor.add_subcommand(
      "run",
      "Check captured traffic against a baseline.\n\n"
      "Reads the endpoint's data capture (archml serve --capture-dir; a folder or\n"
      "s3://bucket/prefix), rebuilds the rows of every captured request as the endpoint\n"
      "decoded them (CSV, JSON, JSON lines), computes their statistics and runs SageMaker's\n"
      "checks: data_type_check, completeness_check, baseline_drift_check,\n"
      "missing_column_check, extra_column_check, categorical_values_check. Writes\n"
      "constraint_violations.json, statistics.json (live) and report.html (baseline and\n"
      "live distributions side by side) to --out.\n\n"
      "A capture file cut short (a crash, or still being written) is read up to its last\n"
      "complete record, with a warning.\n\n"
      "Exit status: 0 no violation, 6 violations found (see constraint_violations.json),\n"
      "2 invalid input, 3 baseline or capture not found, 4 I/O.\n\n"
      "Examples:\n"
      "  archml monitor run --capture capture/ --baseline base --out check\n"
      "  archml monitor run --capture s3://bucket/capture --baseline base \\\n"
      "      --since 2026-12-08T04:00 --until 2026-12-08T05:00 --out check --json");
  add_capture_flags(*command, flags->capture, flags->baseline);
  command->add_option("--since", flags->since,
                      "Only requests at or after this UTC time (ISO 8601, e.g.\n"
                      "2026-12-08T04:00)");
  command->add_option("--until", flags->until, "Only requests before this UTC time");
  command->add_option("-o,--out", flags->out, "Folder for the results")->required();
  command->add_flag("--json", flags->json, "Print the summary as JSON");
  command->callback([flags, &context] { run_monitor(context, *flags); });
}

}  // namespace

void add_monitor_command(CLI::App& app, const jobs::JobContext& context) {
  auto* monitor = app.add_subcommand(
      "monitor",
      "Model monitor: drift and quality checks over the data capture.\n\n"
      "  archml monitor baseline --data train.csv --model MODEL --out base\n"
      "  archml monitor run --capture capture/ --baseline base --out check\n"
      "  archml monitor quality --capture capture/ --baseline base --ground-truth labels.csv \\\n"
      "      --out quality\n"
      "  archml monitor schedule --every 1h --capture capture/ --baseline base --out checks\n\n"
      "Files follow SageMaker Model Monitor's formats; see docs/monitor.md. A run with\n"
      "violations exits 6.");
  monitor->require_subcommand(1);
  add_baseline(*monitor, context);
  add_run(*monitor, context);
  add_quality(*monitor, context);
  add_schedule(*monitor, context);
  add_executions(*monitor, context);
}

}  // namespace archml::cli
