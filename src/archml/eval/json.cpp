#include "archml/eval/json.h"

#include <nlohmann/json.hpp>

namespace archml::eval {

void to_json(nlohmann::json& json, const ConfusionMatrix& confusion) {
  json = {{"tn", confusion.tn}, {"fp", confusion.fp}, {"fn", confusion.fn}, {"tp", confusion.tp}};
}

void to_json(nlohmann::json& json, const CostMatrix& costs) {
  json = {{"tn", costs.tn}, {"fp", costs.fp}, {"fn", costs.fn}, {"tp", costs.tp}};
}

void to_json(nlohmann::json& json, const CostPoint& point) {
  json = {
      {"cutoff", point.cutoff}, {"confusion", point.confusion}, {"total_cost", point.total_cost}};
}

void to_json(nlohmann::json& json, const OperatingPoint& point) {
  json = {{"confusion", point.confusion},
          {"rows", point.rows},
          {"positives", point.positives},
          {"caught", point.caught},
          {"missed", point.missed},
          {"alerts", point.alerts},
          {"false_alarms", point.false_alarms},
          {"recall", point.recall},
          {"precision", point.precision},
          {"total_cost", point.total_cost},
          {"cost_per_1000_rows", point.cost_per_1000_rows}};
}

void to_json(nlohmann::json& json, const RocPoint& point) {
  json = {{"false_positive_rate", point.false_positive_rate},
          {"true_positive_rate", point.true_positive_rate},
          {"threshold", point.threshold}};
}

void to_json(nlohmann::json& json, const PrPoint& point) {
  json = {{"recall", point.recall}, {"precision", point.precision}, {"threshold", point.threshold}};
}

void to_json(nlohmann::json& json, const ScoreHistogram& histogram) {
  json = {{"lower", histogram.lower},
          {"upper", histogram.upper},
          {"negatives", histogram.negatives},
          {"positives", histogram.positives}};
}

void to_json(nlohmann::json& json, const CalibrationBin& bin) {
  json = {{"lower", bin.lower},
          {"upper", bin.upper},
          {"count", bin.count},
          {"positives", bin.positives},
          {"mean_predicted", bin.mean_predicted},
          {"observed_rate", bin.observed_rate}};
}

void to_json(nlohmann::json& json, const ClassMetrics& metrics) {
  json = {{"precision", metrics.precision},
          {"recall", metrics.recall},
          {"f1", metrics.f1},
          {"support", metrics.support}};
}

void to_json(nlohmann::json& json, const ClassificationReport& report) {
  json = {{"classes", report.classes},
          {"accuracy", report.accuracy},
          {"macro_avg", report.macro_avg},
          {"weighted_avg", report.weighted_avg}};
}

void to_json(nlohmann::json& json, const MulticlassConfusion& confusion) {
  // Nested rows read better in JSON and in the HTML table than a flat row-major list.
  auto rows = nlohmann::json::array();
  for (std::size_t actual = 0; actual < confusion.classes; ++actual) {
    auto row = nlohmann::json::array();
    for (std::size_t predicted = 0; predicted < confusion.classes; ++predicted) {
      row.push_back(confusion.at(actual, predicted));
    }
    rows.push_back(std::move(row));
  }
  json = std::move(rows);
}

void to_json(nlohmann::json& json, const BinaryEvaluation& evaluation) {
  json = {{"rows", evaluation.rows},
          {"positives", evaluation.positives},
          {"roc_auc", evaluation.roc_auc},
          {"average_precision", evaluation.average_precision},
          {"log_loss", evaluation.log_loss},
          {"brier", evaluation.brier},
          {"accuracy", evaluation.accuracy},
          {"cutoff", evaluation.cutoff},
          {"confusion", evaluation.confusion},
          {"report", evaluation.report},
          {"roc", evaluation.roc},
          {"precision_recall", evaluation.precision_recall},
          {"histogram", evaluation.histogram},
          {"calibration", evaluation.calibration},
          {"cost_curve", evaluation.cost_curve},
          {"optimal", evaluation.optimal},
          {"at_cutoff", evaluation.at_cutoff},
          {"at_default_cutoff", evaluation.at_default_cutoff},
          {"at_optimal", evaluation.at_optimal},
          {"baseline",
           evaluation.baseline ? nlohmann::json(*evaluation.baseline) : nlohmann::json(nullptr)}};
}

void to_json(nlohmann::json& json, const MulticlassEvaluation& evaluation) {
  json = {{"rows", evaluation.rows},           {"classes", evaluation.classes},
          {"log_loss", evaluation.log_loss},   {"accuracy", evaluation.accuracy},
          {"macro_f1", evaluation.macro_f1},   {"weighted_f1", evaluation.weighted_f1},
          {"confusion", evaluation.confusion}, {"report", evaluation.report}};
}

void to_json(nlohmann::json& json, const RegressionMetrics& metrics) {
  json = {{"rows", metrics.rows}, {"rmse", metrics.rmse}, {"mae", metrics.mae},
          {"r2", metrics.r2},     {"mape", metrics.mape}, {"mape_rows", metrics.mape_rows}};
}

}  // namespace archml::eval
