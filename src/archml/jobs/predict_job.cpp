#include "archml/jobs/predict_job.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <numeric>

#include "archml/core/atomic_file.h"
#include "archml/core/error.h"
#include "archml/core/numbers.h"
#include "archml/core/progress.h"
#include "archml/data/table_take.h"

namespace archml::jobs {
namespace {

namespace fs = std::filesystem;

// Enough to show what went wrong without holding a message per row of a bad file.
constexpr std::size_t kKeptErrors = 20;

void append_field(std::string& out, std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(value);
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string join(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

// The transform's message counts rows within the one-row slice it saw ("row 1, "); the
// file's row is named in front instead.
std::string row_reason(const std::string& message) {
  std::string reason = message;
  if (auto at = reason.find("row 1, "); at != std::string::npos) reason.erase(at, 7);
  return reason;
}

// Checks what would fail every row, so that a row policy never hides a wrong file.
void check_columns(const model::Predictor& predictor, const data::Table& table,
                   const PredictJobOptions& options) {
  if (table.column_count() == 0)
    throw_invalid("'" + options.data_file + "' is empty (no header, no rows): nothing to score");
  std::vector<std::string> present;
  for (const auto& column : table.columns()) present.push_back(column.name());
  for (const auto& name : options.keep)
    if (table.find(name) < 0)
      throw_not_found("--keep: the data has no column '" + name + "'; it has: " + join(present));
  std::vector<std::string> absent;
  for (const auto& input : predictor.bundle().recipe().input_schema()) {
    std::ptrdiff_t index = table.find(input.name);
    if (index < 0) {
      absent.push_back(input.name);
      continue;
    }
    const data::Column& column = table.column(static_cast<std::size_t>(index));
    if (input.type != data::ColumnType::kString && !column.is_numeric())
      throw_invalid("column '" + input.name + "' holds text, but the model was trained on " +
                    std::string(data::to_string(input.type)) +
                    " values; fix the file, or pass --schema " + input.name + ":" +
                    std::string(data::to_string(input.type)) +
                    " --lenient to skip the rows that do not parse");
  }
  if (!absent.empty())
    throw_not_found("the data lacks column" + std::string(absent.size() > 1 ? "s " : " ") +
                    join(absent) + " that the model reads; it has: " + join(present));
}

struct Batch {
  std::size_t first = 0;  // row of the table
  std::size_t rows = 0;
  std::size_t width = 1;
  std::vector<double> scores;        // rows * width
  std::vector<std::uint8_t> ok;      // per row
  std::vector<std::string> reasons;  // per row, empty when ok
};

class BatchScorer {
 public:
  BatchScorer(const model::Predictor& predictor, const data::Table& table,
              const PredictJobOptions& options, unsigned threads)
      : predictor_(predictor), table_(table), options_(options), threads_(threads) {
    for (const auto& input : predictor.bundle().recipe().input_schema())
      columns_.push_back(input.name);
    // take_rows with no names copies every column; one that the recipe reads keeps the
    // slice small and the transform's checks intact.
    if (columns_.empty() && table.column_count() > 0)
      columns_.push_back(table.column(std::size_t{0}).name());
    width_ = predictor.kind() == model::TargetKind::kMulticlass ? predictor.classes().size() : 1;
  }

  Batch score(std::size_t first, std::size_t rows) {
    Batch batch;
    batch.first = first;
    batch.rows = rows;
    batch.width = width_;
    batch.scores.assign(rows * width_, 0.0);
    batch.ok.assign(rows, 1);
    batch.reasons.resize(rows);
    score_range(batch, 0, rows);
    return batch;
  }

 private:
  // A rejected slice is halved until the bad rows stand alone: a few bad rows in a big
  // batch cost a few transforms of log2(batch) slices, not one per row.
  void score_range(Batch& batch, std::size_t begin, std::size_t end) {
    if (begin == end) return;
    std::vector<std::uint32_t> rows(end - begin);
    std::iota(rows.begin(), rows.end(), static_cast<std::uint32_t>(batch.first + begin));
    try {
      model::Predictions predictions =
          predictor_.predict(data::take_rows(table_, rows, columns_), threads_);
      std::copy(predictions.scores.begin(), predictions.scores.end(),
                batch.scores.begin() + static_cast<std::ptrdiff_t>(begin * width_));
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::kInvalidInput) throw;
      if (end - begin > 1) {
        std::size_t middle = begin + (end - begin) / 2;
        score_range(batch, begin, middle);
        score_range(batch, middle, end);
        return;
      }
      std::string reason = row_reason(error.what());
      if (options_.on_error == RowErrorPolicy::kFail)
        throw_invalid("row " + std::to_string(batch.first + begin + 1) + " of '" +
                      options_.data_file + "' cannot be scored: " + reason +
                      " (--on-error skip or empty scores the other rows)");
      batch.ok[begin] = 0;
      batch.reasons[begin] = std::move(reason);
    }
  }

  const model::Predictor& predictor_;
  const data::Table& table_;
  const PredictJobOptions& options_;
  unsigned threads_;
  std::vector<std::string> columns_;
  std::size_t width_ = 1;
};

}  // namespace

RowErrorPolicy parse_row_error_policy(const std::string& text) {
  if (text == "fail") return RowErrorPolicy::kFail;
  if (text == "skip") return RowErrorPolicy::kSkip;
  if (text == "empty") return RowErrorPolicy::kEmpty;
  throw_invalid("--on-error takes fail, skip or empty; got '" + text + "'");
}

PredictOutput parse_predict_output(const std::string& text) {
  if (text == "score,label" || text == "score") return PredictOutput::kScoreLabel;
  if (text == "probabilities") return PredictOutput::kProbabilities;
  throw_invalid("--output takes score,label or probabilities; got '" + text + "'");
}

PredictJobResult predict_table(const JobContext& context, const model::Predictor& predictor,
                               const data::Table& table, const PredictJobOptions& options,
                               std::ostream& out) {
  const auto started = std::chrono::steady_clock::now();
  if (options.cutoff && !(*options.cutoff > 0 && *options.cutoff < 1))
    throw_invalid("--cutoff must lie strictly between 0 and 1, e.g. 0.3");
  if (options.batch_rows == 0) throw_invalid("predict: batch_rows must be positive");
  check_columns(predictor, table, options);

  PredictJobResult result;
  result.kind = predictor.kind();
  result.data_file = options.data_file;
  result.out = options.out;
  result.rows_read = table.row_count();
  const model::TargetKind kind = predictor.kind();
  const std::vector<std::string>& classes = predictor.classes();
  if (kind == model::TargetKind::kBinary)
    result.cutoff = options.cutoff ? *options.cutoff : predictor.cutoff();
  auto class_name = [&](std::size_t c) {
    return c < classes.size() ? classes[c] : std::to_string(c);
  };

  // Columns: keep..., then the scores, then label for classifiers.
  std::vector<const data::Column*> kept;
  for (const auto& name : options.keep) {
    kept.push_back(&table.column(std::string_view(name)));
    result.header.push_back(name);
  }
  const bool probabilities = options.output == PredictOutput::kProbabilities;
  if (kind == model::TargetKind::kContinuous) {
    result.header.push_back("prediction");
  } else {
    if (probabilities) {
      for (std::size_t c = 0; c < std::max<std::size_t>(classes.size(), 2); ++c)
        result.header.push_back("p_" + class_name(c));
    } else {
      result.header.push_back("score");
    }
    result.header.push_back("label");
  }
  const std::size_t value_columns = result.header.size() - kept.size();
  if (options.on_error == RowErrorPolicy::kEmpty) result.header.push_back("error");

  std::string text;
  for (std::size_t i = 0; i < result.header.size(); ++i) {
    if (i > 0) text += ',';
    append_field(text, result.header[i]);
  }
  text += '\n';
  out << text;

  BatchScorer scorer(predictor, table, options, context.threads);
  core::Progress progress("predicting", table.row_count(), "rows", context.progress);
  for (std::size_t first = 0; first < table.row_count(); first += options.batch_rows) {
    const std::size_t rows = std::min(options.batch_rows, table.row_count() - first);
    Batch batch = scorer.score(first, rows);
    text.clear();
    for (std::size_t r = 0; r < rows; ++r) {
      const std::size_t row = first + r;
      if (!batch.ok[r]) {
        ++result.rows_failed;
        if (result.errors.size() < kKeptErrors)
          result.errors.push_back({row + 1, batch.reasons[r]});
        if (options.on_error == RowErrorPolicy::kSkip) continue;
      }
      for (std::size_t k = 0; k < kept.size(); ++k) {
        if (k > 0) text += ',';
        append_field(text, kept[k]->text(row));
      }
      const double* scores = batch.scores.data() + r * batch.width;
      std::string values;
      if (batch.ok[r]) {
        ++result.rows_scored;
        if (kind == model::TargetKind::kContinuous) {
          core::append_shortest(values, scores[0]);
        } else if (kind == model::TargetKind::kBinary) {
          const bool positive = scores[0] >= *result.cutoff;
          result.positives += positive ? 1 : 0;
          if (probabilities) {
            core::append_shortest(values, 1.0 - scores[0]);
            values += ',';
          }
          core::append_shortest(values, scores[0]);
          values += ',';
          append_field(values, class_name(positive ? 1 : 0));
        } else {
          const std::size_t best =
              static_cast<std::size_t>(std::max_element(scores, scores + batch.width) - scores);
          if (probabilities) {
            for (std::size_t c = 0; c < batch.width; ++c) {
              core::append_shortest(values, scores[c]);
              values += ',';
            }
          } else {
            core::append_shortest(values, scores[best]);
            values += ',';
          }
          append_field(values, class_name(best));
        }
      } else {
        values.assign(value_columns - 1, ',');
      }
      if (!kept.empty()) text += ',';
      text += values;
      if (options.on_error == RowErrorPolicy::kEmpty) {
        text += ',';
        append_field(text, batch.reasons[r]);
      }
      text += '\n';
    }
    out << text;
    if (!out) throw_io("cannot write the predictions to '" + options.out + "'");
    progress.advance(rows);
  }
  progress.finish();
  out.flush();
  if (!out) throw_io("cannot write the predictions to '" + options.out + "'");
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

namespace {

void record_predictions(JobRecorder& recorder, const PredictJobOptions& options,
                        const PredictJobResult& result) {
  // Prefixed, so the run's own parameters (training's data, ...) keep their meaning.
  recorder.log_parameters(
      {{"transform.model", result.bundle_directory.string()},
       {"transform.data", options.data_file},
       {"transform.out", options.out},
       {"transform.on_error", options.on_error == RowErrorPolicy::kFail   ? "fail"
                              : options.on_error == RowErrorPolicy::kSkip ? "skip"
                                                                          : "empty"}});
  recorder.log_metric("transform:rows_read", 0, static_cast<double>(result.rows_read));
  recorder.log_metric("transform:rows_scored", 0, static_cast<double>(result.rows_scored));
  recorder.log_metric("transform:rows_failed", 0, static_cast<double>(result.rows_failed));
  if (result.cutoff) recorder.log_metric("transform:positives", 0, double(result.positives));
  if (result.seconds > 0)
    recorder.log_metric("transform:rows_per_second", 0, double(result.rows_read) / result.seconds);
  const std::string predictions = options.out == "-" ? "stdout" : file_uri(options.out);
  if (options.out != "-") recorder.add_local_artifact("predictions", options.out, "text/csv");
  recorder.add_lineage({"bundle", file_uri(result.bundle_directory), "predictions", predictions});
  recorder.add_lineage({"data", file_uri(options.data_file), "predictions", predictions});
}

}  // namespace

PredictJobResult run_predict_job(const JobContext& context, const PredictJobOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  model::Predictor predictor = model::Predictor::load(options.model);
  if (!fs::exists(options.data_file))
    throw_not_found("data file '" + options.data_file + "' does not exist");
  data::CsvReport report;
  data::CsvOptions csv = options.csv;
  if (csv.threads == 0) csv.threads = context.threads;
  if (!context.progress) csv.progress_label.clear();
  data::Table table = data::read_csv(options.data_file, csv, &report);

  PredictJobResult result;
  if (options.out == "-") {
    result = predict_table(context, predictor, table, options, std::cout);
  } else {
    // Written beside the target and renamed at the end, so a failed run never leaves a
    // half-written file where a finished one is expected.
    core::AtomicFile file(options.out);
    result = predict_table(context, predictor, table, options, file.stream());
    file.commit(false);
  }
  result.bundle_directory = model::Bundle::locate(options.model);
  result.skipped_csv_rows = report.skipped_rows;
  result.csv_problems = report.problems;
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (options.recorder != nullptr) record_predictions(*options.recorder, options, result);
  return result;
}

}  // namespace archml::jobs
