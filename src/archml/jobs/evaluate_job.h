// The evaluate job: scores rows with a trained bundle and measures the predictions against
// their labels. Rows come from a file (every row with a label) or from one part of the
// bundle's own training file, re-split with the split spec the bundle recorded, so
// `--split test` sees exactly the rows training held out. Writes OUT/evaluation.json,
// the self-contained OUT/evaluation.html and OUT/scores.csv (one row per evaluated row:
// its index in the file, its label and the model's scores) for checks elsewhere.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "archml/data/csv_reader.h"
#include "archml/eval/binary_evaluation.h"
#include "archml/eval/business_view.h"
#include "archml/eval/multiclass_evaluation.h"
#include "archml/eval/regression.h"
#include "archml/jobs/job_record.h"
#include "archml/model/hyperparameters.h"

namespace archml::jobs {

enum class EvaluationRows { kAll, kTrain, kValidation, kTest };

// "all", "train", "validation" or "test"; archml::Error (invalid input) otherwise.
EvaluationRows parse_evaluation_rows(const std::string& text);
std::string to_string(EvaluationRows rows);

struct EvaluateJobOptions {
  std::filesystem::path model;  // the bundle, or the training job's output directory
  // The file to read; empty means the training file recorded in the bundle.
  std::string data_file;
  // kAll scores every labelled row of the file; a part re-splits it as training did.
  EvaluationRows rows = EvaluationRows::kTest;
  data::CsvOptions csv;
  std::optional<eval::CostMatrix> costs;  // default: the bundle's
  std::optional<double> cutoff;           // default: the bundle's, chosen on validation
  std::string baseline_column;            // binary only: a 0/1 rules column to compare with
  // Plural nouns for the plain-words operating point; empty picks from the target.
  std::string positives_noun;
  std::string rows_noun;
  std::filesystem::path out;
  // When set, the metrics, files and lineage (bundle -> evaluation) go to the catalog.
  JobRecorder* recorder = nullptr;
};

struct EvaluateJobResult {
  model::TargetKind kind = model::TargetKind::kBinary;
  std::string target;
  std::filesystem::path bundle_directory;
  std::string data_file;
  std::string rows_description;   // "test split (stratified:0.7,0.2,0.1)", "all labelled rows"
  std::size_t rows = 0;           // rows evaluated
  data::CsvReport csv_report;     // what the read skipped or repaired, for the user
  std::size_t excluded_rows = 0;  // rows of the chosen part without a label
  std::optional<eval::BinaryEvaluation> binary;
  std::optional<eval::MulticlassEvaluation> multiclass;
  std::optional<eval::RegressionMetrics> regression;
  eval::BusinessView business_view;  // binary only
  nlohmann::json json;               // evaluation.json's content
  std::filesystem::path json_path;
  std::filesystem::path html_path;
  std::filesystem::path scores_path;
};

// Throws archml::Error: not found for a missing bundle, file or column (naming those
// that exist), invalid input for a cutoff outside (0, 1), a non-0/1 baseline column, a
// training file that changed since training, or a part that is empty; I/O when OUT cannot
// be written.
// Reads and scores with the context's threads; its progress switch hides the reading bar.
EvaluateJobResult run_evaluate_job(const JobContext& job_context,
                                   const EvaluateJobOptions& options);

}  // namespace archml::jobs
