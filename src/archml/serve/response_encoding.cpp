#include "archml/serve/response_encoding.h"

#include "archml/core/error.h"
#include "archml/core/numbers.h"
#include "archml/serve/http_request.h"
#include "archml/serve/json_text.h"

namespace archml::serve {
namespace {

bool is_integer(std::string_view text) {
  if (text.empty()) return false;
  std::size_t i = text[0] == '-' ? 1 : 0;
  if (i == text.size()) return false;
  for (; i < text.size(); ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  return true;
}

// One value of one row, in CSV (fields joined by commas) or JSON.
class RowWriter {
 public:
  RowWriter(const model::Predictions& predictions, const std::vector<std::string>& classes)
      : predictions_(predictions), classes_(classes) {}

  void probabilities(std::string& out, std::size_t row, bool json) const {
    const double* scores = predictions_.scores.data() + row * predictions_.width;
    if (json) out += '[';
    if (predictions_.width == 1 && !classes_.empty()) {  // binary: P(negative), P(positive)
      core::append_shortest(out, 1.0 - scores[0]);
      out += ',';
      core::append_shortest(out, scores[0]);
    } else {
      for (std::size_t c = 0; c < predictions_.width; ++c) {
        if (c > 0) out += ',';
        core::append_shortest(out, scores[c]);
      }
    }
    if (json) out += ']';
  }

  void score(std::string& out, std::size_t row, bool json) const {
    if (predictions_.width == 1) {
      core::append_shortest(out, predictions_.scores[row]);
      return;
    }
    probabilities(out, row, json);
  }

  void probability(std::string& out, std::size_t row) const {
    const double* scores = predictions_.scores.data() + row * predictions_.width;
    core::append_shortest(out,
                          predictions_.width == 1 ? scores[0] : scores[predictions_.labels[row]]);
  }

  void label(std::string& out, std::size_t row, bool json) const {
    const std::string& name = classes_.at(static_cast<std::size_t>(predictions_.labels[row]));
    if (!json || is_integer(name))
      out += name;
    else
      append_json_string(out, name);
  }

  void value(std::string& out, std::size_t row, OutputKey key, bool json) const {
    switch (key) {
      case OutputKey::kPredictedLabel:
        label(out, row, json);
        break;
      case OutputKey::kProbability:
        probability(out, row);
        break;
      case OutputKey::kProbabilities:
        probabilities(out, row, json);
        break;
      case OutputKey::kRawScore:
        score(out, row, json);
        break;
    }
  }

 private:
  const model::Predictions& predictions_;
  const std::vector<std::string>& classes_;
};

std::string_view key_name(OutputKey key) {
  switch (key) {
    case OutputKey::kPredictedLabel:
      return "predicted_label";
    case OutputKey::kProbability:
      return "probability";
    case OutputKey::kProbabilities:
      return "probabilities";
    case OutputKey::kRawScore:
      return "raw_score";
  }
  return "?";
}

}  // namespace

std::vector<OutputKey> parse_output_keys(std::string_view text, model::TargetKind kind) {
  std::vector<OutputKey> keys;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view name = trim_blanks(text.substr(start, end - start));
    start = end + 1;
    if (name.empty()) continue;
    OutputKey key;
    if (name == "predicted_label")
      key = OutputKey::kPredictedLabel;
    else if (name == "probability")
      key = OutputKey::kProbability;
    else if (name == "probabilities")
      key = OutputKey::kProbabilities;
    else if (name == "raw_score")
      key = OutputKey::kRawScore;
    else
      throw_invalid("--output: unknown output '" + std::string(name) +
                    "'; choose from predicted_label, probability, probabilities, raw_score");
    if (kind == model::TargetKind::kContinuous && key != OutputKey::kRawScore)
      throw_invalid("--output " + std::string(name) +
                    ": a regression model has only raw_score (the predicted value)");
    keys.push_back(key);
  }
  return keys;
}

std::optional<ResponseFormat> response_format_of(std::string_view media_type) {
  media_type = trim_blanks(media_type.substr(0, media_type.find(';')));
  if (equals_ignoring_case(media_type, "text/csv")) return ResponseFormat::kCsv;
  if (equals_ignoring_case(media_type, "application/json")) return ResponseFormat::kJson;
  if (equals_ignoring_case(media_type, "application/jsonlines") ||
      equals_ignoring_case(media_type, "application/x-jsonlines"))
    return ResponseFormat::kJsonLines;
  return std::nullopt;
}

std::string_view content_type_of(ResponseFormat format) {
  switch (format) {
    case ResponseFormat::kCsv:
      return "text/csv; charset=utf-8";
    case ResponseFormat::kJson:
      return "application/json";
    case ResponseFormat::kJsonLines:
      return "application/jsonlines";
  }
  return "text/csv";
}

std::optional<ResponseFormat> negotiate_accept(std::string_view accept, ResponseFormat fallback) {
  if (trim_blanks(accept).empty()) return fallback;
  std::size_t start = 0;
  while (start <= accept.size()) {
    std::size_t end = accept.find(',', start);
    if (end == std::string_view::npos) end = accept.size();
    const std::string_view item = trim_blanks(accept.substr(start, end - start));
    const std::string_view type = trim_blanks(item.substr(0, item.find(';')));
    if (type == "*/*") return fallback;
    if (const auto format = response_format_of(type)) return format;
    start = end + 1;
  }
  return std::nullopt;
}

std::string encode_predictions(const model::Predictions& predictions,
                               const std::vector<std::string>& classes,
                               const std::vector<OutputKey>& keys, ResponseFormat format) {
  const RowWriter writer(predictions, classes);
  std::string out;
  out.reserve(predictions.rows * (keys.empty() ? 24 : 24 * keys.size()) + 32);
  if (format == ResponseFormat::kCsv) {
    for (std::size_t r = 0; r < predictions.rows; ++r) {
      if (keys.empty()) writer.score(out, r, false);
      for (std::size_t k = 0; k < keys.size(); ++k) {
        if (k > 0) out += ',';
        writer.value(out, r, keys[k], false);
      }
      out += '\n';
    }
    return out;
  }
  const bool lines = format == ResponseFormat::kJsonLines;
  if (!lines) out += R"({"predictions": [)";
  for (std::size_t r = 0; r < predictions.rows; ++r) {
    if (r > 0 && !lines) out += ", ";
    out += '{';
    if (keys.empty()) {
      out += R"("score": )";
      writer.score(out, r, true);
    }
    for (std::size_t k = 0; k < keys.size(); ++k) {
      if (k > 0) out += ", ";
      out += '"';
      out += key_name(keys[k]);
      out += "\": ";
      writer.value(out, r, keys[k], true);
    }
    out += '}';
    if (lines) out += '\n';
  }
  if (!lines) out += "]}";
  return out;
}

}  // namespace archml::serve
