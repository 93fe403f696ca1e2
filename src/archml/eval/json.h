// JSON forms of the eval result structs, for evaluation.json. Found by nlohmann's ADL:
// `nlohmann::json j = evaluation;`. Keys are the field names. NaN (an undefined metric)
// and infinite thresholds (the curves' start points) serialise as null.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "archml/eval/binary_evaluation.h"
#include "archml/eval/multiclass_evaluation.h"
#include "archml/eval/regression.h"

namespace archml::eval {

void to_json(nlohmann::json& json, const ConfusionMatrix& confusion);
void to_json(nlohmann::json& json, const CostMatrix& costs);
void to_json(nlohmann::json& json, const CostPoint& point);
void to_json(nlohmann::json& json, const OperatingPoint& point);
void to_json(nlohmann::json& json, const RocPoint& point);
void to_json(nlohmann::json& json, const PrPoint& point);
void to_json(nlohmann::json& json, const ScoreHistogram& histogram);
void to_json(nlohmann::json& json, const CalibrationBin& bin);
void to_json(nlohmann::json& json, const ClassMetrics& metrics);
void to_json(nlohmann::json& json, const ClassificationReport& report);
void to_json(nlohmann::json& json, const MulticlassConfusion& confusion);
void to_json(nlohmann::json& json, const BinaryEvaluation& evaluation);
void to_json(nlohmann::json& json, const MulticlassEvaluation& evaluation);
void to_json(nlohmann::json& json, const RegressionMetrics& metrics);

}  // namespace archml::eval
