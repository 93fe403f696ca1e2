#include "archml/eval/binary_evaluation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <vector>

#include "archml/core/error.h"
#include "archml/eval/json.h"
#include "archml/eval/ranked_scores.h"

namespace archml::eval {
namespace {

const std::vector<double> kScores = {0.05, 0.15, 0.3, 0.3, 0.6, 0.9};
const std::vector<std::uint8_t> kLabels = {0, 0, 1, 0, 1, 1};

TEST(EvalBinaryEvaluation, BundlesMetricsCurvesAndTheBusinessView) {
  const std::vector<std::uint8_t> flagged = {0, 0, 0, 0, 1, 1};
  BinaryEvaluationOptions options;
  options.cutoff = 0.7;
  options.curve_points = 50;
  const BinaryEvaluation evaluation = evaluate_binary(kScores, kLabels, options, flagged);
  EXPECT_EQ(evaluation.rows, 6);
  EXPECT_EQ(evaluation.positives, 3);
  // Pairs: 0.9 and 0.6 beat all 3 negatives; 0.3 beats 2 and ties 1 -> 8.5 / 9.
  EXPECT_DOUBLE_EQ(evaluation.roc_auc, 8.5 / 9);
  EXPECT_EQ(evaluation.confusion, (ConfusionMatrix{.tn = 3, .fp = 0, .fn = 2, .tp = 1}));
  EXPECT_DOUBLE_EQ(evaluation.accuracy, 4.0 / 6);
  EXPECT_EQ(evaluation.at_cutoff.total_cost, 1100);
  EXPECT_EQ(evaluation.at_default_cutoff.total_cost, 700);
  EXPECT_EQ(evaluation.optimal.cutoff, 0.3);
  EXPECT_EQ(evaluation.at_optimal.total_cost, 400);
  ASSERT_TRUE(evaluation.baseline.has_value());
  EXPECT_EQ(evaluation.baseline->total_cost, 700);
  EXPECT_EQ(evaluation.cost_curve.size(), 99u);
  EXPECT_EQ(evaluation.calibration.size(), 10u);
  EXPECT_EQ(evaluation.histogram.positives.size(), 20u);
  EXPECT_FALSE(evaluation.roc.empty());
  EXPECT_FALSE(evaluation.precision_recall.empty());
}

TEST(EvalBinaryEvaluation, SingleClassGivesNaNAucsNotAnError) {
  const BinaryEvaluation evaluation =
      evaluate_binary(std::vector<double>{0.1, 0.4}, std::vector<std::uint8_t>{0, 0});
  EXPECT_TRUE(std::isnan(evaluation.roc_auc));
  EXPECT_TRUE(std::isnan(evaluation.average_precision));
  EXPECT_TRUE(evaluation.roc.empty());
  EXPECT_FALSE(evaluation.baseline.has_value());
  // Undefined metrics become JSON null rather than an invalid NaN token.
  const nlohmann::json json = evaluation;
  EXPECT_TRUE(json["roc_auc"].is_null() || std::isnan(json["roc_auc"].get<double>()));
  EXPECT_EQ(nlohmann::json::parse(json.dump())["roc_auc"], nullptr);
}

TEST(EvalBinaryEvaluation, EmptyInputDoesNotThrow) {
  const BinaryEvaluation evaluation = evaluate_binary({}, {});
  EXPECT_EQ(evaluation.rows, 0);
  EXPECT_TRUE(std::isnan(evaluation.log_loss));
  EXPECT_TRUE(std::isnan(evaluation.at_cutoff.cost_per_1000_rows));
  EXPECT_NO_THROW(nlohmann::json(evaluation).dump());
}

TEST(EvalBinaryEvaluation, RejectsMarginsAndMismatchedBaseline) {
  EXPECT_THROW(evaluate_binary(std::vector<double>{-1.0, 2.0}, std::vector<std::uint8_t>{0, 1}),
               Error);
  EXPECT_THROW(evaluate_binary(kScores, kLabels, {}, std::vector<std::uint8_t>{1}), Error);
}

TEST(EvalJson, SerialisesWithFieldNames) {
  const BinaryEvaluation evaluation = evaluate_binary(kScores, kLabels);
  const nlohmann::json json = nlohmann::json::parse(nlohmann::json(evaluation).dump());
  EXPECT_EQ(json["confusion"], (nlohmann::json{{"tn", 3}, {"fp", 0}, {"fn", 1}, {"tp", 2}}));
  EXPECT_EQ(json["cost_curve"].size(), 99u);
  EXPECT_EQ(json["optimal"]["cutoff"], 0.3);
  EXPECT_EQ(json["at_optimal"]["alerts"], 4);
  EXPECT_EQ(json["roc"][0]["threshold"], nullptr);  // +infinity start point
  EXPECT_EQ(json["report"]["classes"][1]["support"], 3);
  EXPECT_EQ(json["baseline"], nullptr);
  const nlohmann::json confusion =
      multiclass_confusion(std::vector<std::int32_t>{0, 1}, std::vector<std::int32_t>{1, 1}, 2);
  EXPECT_EQ(confusion, nlohmann::json::parse("[[0, 1], [0, 1]]"));
  const nlohmann::json costs = CostMatrix{};
  EXPECT_EQ(costs["fn"], 500.0);
}

// A test split of PaySim is ~640k rows: curves for charts must stay small while the
// metrics are computed over every row. (Speed is measured in bench/, never here.)
TEST(EvalBinaryEvaluation, LargeInputsKeepChartCurvesSmall) {
  constexpr std::size_t kRows = 1'000'000;
  std::mt19937_64 random(3);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  std::vector<double> scores(kRows);
  std::vector<std::uint8_t> labels(kRows);
  for (std::size_t row = 0; row < kRows; ++row) {
    labels[row] = uniform(random) < 0.01f;
    // Float scores, as XGBoost returns them, widened to double.
    scores[row] = labels[row] ? std::sqrt(uniform(random)) : uniform(random) * uniform(random);
  }
  const BinaryEvaluation evaluation = evaluate_binary(scores, labels);
  EXPECT_GT(evaluation.roc_auc, 0.8);
  EXPECT_LE(evaluation.roc.size(), 256u);
  EXPECT_EQ(evaluation.roc_auc, roc_auc(RankedScores(scores, labels)));
}

}  // namespace
}  // namespace archml::eval
