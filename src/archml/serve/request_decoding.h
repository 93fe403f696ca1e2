// The bodies /invocations accepts, read into rows for a ServingModel. Raw rows (as in the
// training data, without the target) stay text fields for the fitted recipe to read;
// prepared rows (the recipe's output, when the endpoint runs with --prepared, and always
// for libsvm) become floats. Every problem throws archml::Error (invalid input) naming the
// row (1-based) and the column, which the endpoint answers with 400.
//
// text/csv         one row per line, no header, no target: every training column in
//                  training order, or only the columns the recipe reads
// text/libsvm      `[label] index:value ...`, 0-based feature indices; absent = missing
// application/json {"instances": [...]} (or a bare array) of objects keyed by column
//                  name, or of arrays in CSV order; {"features": [...]} counts as an array
// application/jsonlines  one such instance per line
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archml/serve/serving_model.h"

namespace archml::serve {

enum class BodyFormat { kCsv, kLibsvm, kJson, kJsonLines };

// The format of a Content-Type header value (parameters such as charset ignored; an
// empty value means CSV, as in SageMaker), or nothing when unsupported (415).
std::optional<BodyFormat> body_format_of(std::string_view content_type);

struct DecodedRows {
  std::size_t count = 0;
  bool prepared = false;
  // Raw rows: field r of `fields` belongs to `columns`.
  std::vector<std::string> columns;
  std::vector<std::vector<std::string_view>> fields;
  std::deque<std::string> storage;  // text the fields point to when not in the body
  // Prepared rows: count x model.feature_count(), NaN for missing.
  std::vector<float> features;
};

// `body` must outlive the result (fields may point into it). The layout is the model's
// (ServingModel::layout()), or one read back from a monitoring baseline.
DecodedRows decode_rows(BodyFormat format, std::string_view body, const RowLayout& layout,
                        bool prepared);
inline DecodedRows decode_rows(BodyFormat format, std::string_view body, const ServingModel& model,
                               bool prepared) {
  return decode_rows(format, body, model.layout(), prepared);
}

}  // namespace archml::serve
