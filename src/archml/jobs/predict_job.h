// The batch prediction job (SageMaker's batch transform): scores every row of a file with
// a trained bundle and writes one CSV line per row — the ID columns asked for, then the
// score and label at the cutoff (or one probability per class, or the regression
// prediction). Rows go through model::Predictor in batches, the path that serves, so a
// file scores exactly as training evaluated and as the endpoint answers.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "archml/data/csv_reader.h"
#include "archml/data/table.h"
#include "archml/jobs/job_record.h"
#include "archml/model/predictor.h"

namespace archml::jobs {

// What to do with a row the recipe rejects (e.g. a category unseen in training under
// `unseen: error`). Whole-file problems (a missing column, text in a numeric column)
// always fail.
enum class RowErrorPolicy {
  kFail,   // stop with an error naming the row and the column
  kSkip,   // leave the row out of the output, count it
  kEmpty,  // write the row with empty scores and the reason in an `error` column
};
// "fail", "skip" or "empty"; archml::Error (invalid input) otherwise.
RowErrorPolicy parse_row_error_policy(const std::string& text);

enum class PredictOutput {
  kScoreLabel,     // binary: score,label; multi-class: score (top probability),label
  kProbabilities,  // one p_<class> column per class, then label
};
// "score,label" (or "score") or "probabilities"; archml::Error (invalid input) otherwise.
PredictOutput parse_predict_output(const std::string& text);

struct PredictJobOptions {
  std::filesystem::path model;  // the bundle, or the training job's output directory
  std::string data_file;
  data::CsvOptions csv;
  // The output CSV; "-" writes to standard output. A file is replaced atomically.
  std::string out = "-";
  std::vector<std::string> keep;  // columns copied through in front of the scores
  std::optional<double> cutoff;   // binary only; default: the bundle's
  PredictOutput output = PredictOutput::kScoreLabel;
  RowErrorPolicy on_error = RowErrorPolicy::kFail;
  // Rows per call to Predictor::predict; results never depend on it.
  std::size_t batch_rows = 262144;
  // When set, the counts, the output file and lineage (bundle -> predictions) go to the
  // catalog (run_predict_job only).
  JobRecorder* recorder = nullptr;
};

struct RowError {
  std::size_t row = 0;  // 1-based data row of the file (the header is not counted)
  std::string reason;
};

struct PredictJobResult {
  model::TargetKind kind = model::TargetKind::kBinary;
  std::filesystem::path bundle_directory;
  std::string data_file;
  std::string out;
  std::vector<std::string> header;  // the output's column names
  std::size_t rows_read = 0;
  std::size_t rows_scored = 0;
  std::size_t rows_failed = 0;       // skipped, or written with empty scores
  std::size_t skipped_csv_rows = 0;  // malformed rows dropped by --lenient
  std::vector<std::string> csv_problems;
  std::optional<double> cutoff;  // binary only
  std::size_t positives = 0;     // binary: rows with score >= cutoff
  std::vector<RowError> errors;  // the first few rows that could not be scored
  double seconds = 0;
};

// Scores `table` (already read) and writes the CSV to `out`. Throws archml::Error:
// not found for a missing --keep column or a column the recipe reads, invalid input for
// a cutoff outside (0, 1) or a rejected row under kFail.
// Scores on the context's threads, with a progress bar when its switch allows.
PredictJobResult predict_table(const JobContext& context, const model::Predictor& predictor,
                               const data::Table& table, const PredictJobOptions& options,
                               std::ostream& out);

// Loads the bundle, reads the file and writes options.out. Also throws not found for a
// missing bundle or data file, and I/O when the output cannot be written.
PredictJobResult run_predict_job(const JobContext& context, const PredictJobOptions& options);

}  // namespace archml::jobs
