// What /invocations answers: the Accept negotiation and the encoding of predictions, as
// SageMaker's XGBoost container does it. Without selected outputs ("score"), CSV holds
// one line per row with the model's prediction (binary: P(positive); multi-class: the
// class probabilities, comma-separated; regression: the value) and JSON holds
// {"predictions": [{"score": ...}]}. With SAGEMAKER_INFERENCE_OUTPUT-style outputs
// (predicted_label, probability, probabilities, raw_score) each row holds those values in
// the order chosen: CSV fields (a vector spread over several fields), JSON object keys.
// Numbers are written in their shortest round-trip form, as `archml predict` writes them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archml/model/predictor.h"

namespace archml::serve {

enum class ResponseFormat { kCsv, kJson, kJsonLines };

enum class OutputKey { kPredictedLabel, kProbability, kProbabilities, kRawScore };

// "predicted_label,probability" -> keys; empty text -> none (the default "score").
// Throws archml::Error (invalid input) naming an unknown key, or a key the model kind
// has no value for (labels and probabilities of a regression model).
std::vector<OutputKey> parse_output_keys(std::string_view text, model::TargetKind kind);

// "text/csv", "application/json", "application/jsonlines" -> format; nothing otherwise.
std::optional<ResponseFormat> response_format_of(std::string_view media_type);
std::string_view content_type_of(ResponseFormat format);

// The first supported media type of an Accept header (q-values are not weighed: the
// order of the list decides); empty or */* gives `fallback`; nothing means 406.
std::optional<ResponseFormat> negotiate_accept(std::string_view accept, ResponseFormat fallback);

std::string encode_predictions(const model::Predictions& predictions,
                               const std::vector<std::string>& classes,
                               const std::vector<OutputKey>& keys, ResponseFormat format);

}  // namespace archml::serve
