// Request decoding for every content type, raw and --prepared, then scoring: the bodies
// /invocations accepts, read for a small bundle (columns x: float, kind: text; target y)
// trained once per process. Oracles: the decoded rows have the shape the model needs
// (each raw row one field per column; prepared rows count x features floats), and scoring
// them gives one finite probability in [0, 1] and a 0/1 label per row.
//
// Input: byte 0 bit 0 = --prepared; then the Content-Type header value up to the first
// newline (an unsupported one ends the run, as the endpoint answers 415); the rest is
// the body.
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <memory>

#include "../tests/support/toy_bundle.h"
#include "../tests/support/toy_table.h"
#include "archml/serve/request_decoding.h"
#include "harness.h"

namespace archml::fuzz {
namespace {

namespace fs = std::filesystem;

// A bundle trained on 300 toy rows, saved to a temporary folder and loaded as the
// endpoint loads it (the folder is removed once loaded). Never destroyed: XGBoost's own
// statics may be gone when the process's are destroyed.
const serve::ServingModel& toy_model() {
  static const auto* const held = [] {
    const fs::path directory =
        fs::temp_directory_path() / ("archml_fuzz_" + std::to_string(::getpid()));
    testing::save_toy_bundle(testing::toy_binary_table(300, 3, 7), 5, directory);
    auto loaded = serve::ServingModel::load(directory);
    fs::remove_all(directory);
    return new std::shared_ptr<const serve::ServingModel>(std::move(loaded));
  }();
  return **held;
}

void check_shape(const serve::DecodedRows& rows, const serve::ServingModel& model) {
  if (rows.prepared) {
    check(rows.features.size() == rows.count * model.feature_count(), [&] {
      return "prepared rows: " + std::to_string(rows.features.size()) + " values for " +
             std::to_string(rows.count) + " rows";
    });
    return;
  }
  check(rows.fields.size() == rows.count, "raw rows: the field rows are not the row count");
  for (const auto& fields : rows.fields)
    check(fields.size() == rows.columns.size(),
          "raw rows: a row of another width than the columns");
}

void check_scores(const model::Predictions& predictions, std::size_t rows) {
  check(predictions.rows == rows && predictions.width == 1 && predictions.scores.size() == rows &&
            predictions.labels.size() == rows,
        "predictions of another shape than the rows");
  for (std::size_t r = 0; r < rows; ++r) {
    const double score = predictions.scores[r];
    check(std::isfinite(score) && score >= 0 && score <= 1,
          [&] { return "score " + std::to_string(score) + " of row " + std::to_string(r + 1); });
    check(predictions.labels[r] == 0 || predictions.labels[r] == 1, "a label that is not 0 or 1");
  }
}

}  // namespace

void request_decoding(std::string_view input) {
  const serve::ServingModel& served = toy_model();
  if (input.empty()) return;
  const bool prepared = (input[0] & 1) != 0;
  input.remove_prefix(1);
  const std::size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return;
  const auto format = serve::body_format_of(input.substr(0, newline));
  if (!format) return;
  const std::string_view body = input.substr(newline + 1);

  const serve::DecodedRows rows = serve::decode_rows(*format, body, served, prepared);
  check_shape(rows, served);
  const model::Predictions predictions = rows.prepared
                                             ? served.score_features(rows.features, rows.count)
                                             : served.score_text(rows.columns, rows.fields);
  check_scores(predictions, rows.count);
}

}  // namespace archml::fuzz
