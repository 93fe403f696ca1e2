#include "archml/eval/evaluation_page.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace archml::eval {
namespace {

// 2,000 rows, 5% positives, scores that separate the classes imperfectly; a baseline that
// flags a few positives and a few negatives, like a rules engine.
struct Fixture {
  std::vector<double> scores;
  std::vector<std::uint8_t> labels;
  std::vector<std::uint8_t> baseline;

  Fixture() {
    std::mt19937_64 random(42);
    std::uniform_real_distribution<double> uniform(0, 1);
    for (int i = 0; i < 2000; ++i) {
      std::uint8_t label = uniform(random) < 0.05;
      double score = label ? 0.3 + 0.7 * uniform(random) : 0.6 * uniform(random);
      labels.push_back(label);
      scores.push_back(score);
      baseline.push_back(label ? uniform(random) < 0.2 : uniform(random) < 0.01);
    }
  }
};

EvaluationPageContext fraud_context() {
  EvaluationPageContext context;
  context.title = "Evaluation of fraud <model>";
  context.facts = {{"model", "runs/train/model.bundle"}, {"split", "test"}};
  context.class_names = {"legitimate", "fraud"};
  context.words = {"frauds", "transactions", "chosen on the validation split", "isFlaggedFraud"};
  return context;
}

BinaryEvaluation evaluate(const Fixture& data, double cutoff) {
  BinaryEvaluationOptions options;
  options.cutoff = cutoff;
  return evaluate_binary(data.scores, data.labels, options,
                         std::span<const std::uint8_t>(data.baseline));
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(EvaluationPage, BinaryPageIsSelfContained) {
  Fixture data;
  std::string html = render_binary_evaluation_html(evaluate(data, 0.37), fraud_context());
  EXPECT_TRUE(contains(html, "<svg"));
  EXPECT_FALSE(contains(html, "http://"));
  EXPECT_FALSE(contains(html, "https://"));
  EXPECT_FALSE(contains(html, "<script"));
  EXPECT_TRUE(contains(html, "Evaluation of fraud &lt;model&gt;")) << "title must be escaped";
  EXPECT_TRUE(contains(html, "</html>"));
}

TEST(EvaluationPage, BinaryPageStatesTheOperatingPointInWords) {
  Fixture data;
  BinaryEvaluation evaluation = evaluate(data, 0.37);
  std::string html = render_binary_evaluation_html(evaluation, fraud_context());
  const OperatingPointWords words{"frauds", "transactions"};
  EXPECT_TRUE(contains(html, "At cutoff 0.37 (chosen on the validation split): " +
                                 describe(evaluation.at_cutoff, words)));
  EXPECT_TRUE(contains(html, "per 1,000 transactions"));
}

TEST(EvaluationPage, BinaryPageShowsConfusionMatrixAndMetrics) {
  Fixture data;
  BinaryEvaluation evaluation = evaluate(data, 0.37);
  std::string html = render_binary_evaluation_html(evaluation, fraud_context());
  const ConfusionMatrix& c = evaluation.confusion;
  ASSERT_GT(c.tn, 1000);  // the fixture is meant to exercise thousands separators
  for (std::int64_t cell : {c.tn, c.fp, c.fn, c.tp})
    EXPECT_TRUE(contains(html, "<td class=\"num\">" + with_thousands_separators(cell) + "</td>"))
        << cell;
  EXPECT_TRUE(contains(html, "ROC AUC"));
  EXPECT_TRUE(contains(html, "average precision"));
  EXPECT_TRUE(contains(html, "log loss"));
  EXPECT_TRUE(contains(html, "Brier score"));
  EXPECT_TRUE(contains(html, "Calibration"));
  EXPECT_TRUE(contains(html, "macro avg"));
  EXPECT_TRUE(contains(html, "<polyline"));
}

TEST(EvaluationPage, BinaryPageComparesCostsOfCutoffsAndBaseline) {
  Fixture data;
  BinaryEvaluation evaluation = evaluate(data, 0.37);
  ASSERT_TRUE(evaluation.baseline.has_value());
  std::string html = render_binary_evaluation_html(evaluation, fraud_context());
  for (const OperatingPoint* point : {&evaluation.at_cutoff, &evaluation.at_default_cutoff,
                                      &evaluation.at_optimal, &*evaluation.baseline}) {
    EXPECT_TRUE(contains(html, format_money(point->cost_per_1000_rows)))
        << point->cost_per_1000_rows;
  }
  EXPECT_TRUE(contains(html, "isFlaggedFraud"));
  EXPECT_TRUE(contains(html, "hindsight optimum"));
}

TEST(EvaluationPage, BusinessViewComparesChosenCutoffWithAlternatives) {
  Fixture data;
  BinaryEvaluation evaluation = evaluate(data, 0.37);
  BusinessView view = describe_business_view(evaluation, fraud_context().words);
  EXPECT_EQ(view.chosen.rfind("At cutoff 0.37 (chosen on the validation split): Catches ", 0), 0u)
      << view.chosen;
  EXPECT_TRUE(contains(
      view.comparison,
      "against " + format_money(evaluation.at_default_cutoff.cost_per_1000_rows) + " at 0.5"))
      << view.comparison;
  EXPECT_TRUE(contains(view.comparison, format_money(evaluation.baseline->cost_per_1000_rows) +
                                            " for isFlaggedFraud"))
      << view.comparison;
  EXPECT_TRUE(contains(view.baseline, "The rules baseline isFlaggedFraud: Catches "));
}

TEST(EvaluationPage, BusinessViewWithoutBaselineSaysNothingAboutIt) {
  Fixture data;
  BinaryEvaluation evaluation = evaluate_binary(data.scores, data.labels);
  BusinessView view = describe_business_view(evaluation, {});
  EXPECT_TRUE(view.baseline.empty());
  EXPECT_FALSE(contains(view.comparison, "baseline"));
  EXPECT_TRUE(contains(view.comparison, "(the same)")) << "chosen cutoff is 0.5 itself";
}

TEST(EvaluationPage, FormatMoneyRoundsToCentsWithSeparators) {
  EXPECT_EQ(format_money(516.894), "516.89");
  EXPECT_EQ(format_money(1234567.006), "1,234,567.01");
  EXPECT_EQ(format_money(0), "0.00");
  EXPECT_EQ(format_money(-12.5), "-12.50");
  EXPECT_EQ(format_money(-0.001), "0.00");
}

TEST(EvaluationPage, MulticlassPageShowsConfusionAndReport) {
  // 3 classes; row-major probabilities.
  std::vector<double> probabilities = {0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.2, 0.2,
                                       0.6, 0.5, 0.4, 0.1, 0.3, 0.3, 0.4};
  std::vector<std::int32_t> labels = {0, 1, 2, 1, 0};
  MulticlassEvaluation evaluation = evaluate_multiclass(probabilities, 3, labels);
  EvaluationPageContext context;
  context.class_names = {"setosa", "versicolor", "virginica"};
  std::string html = render_multiclass_evaluation_html(evaluation, context);
  EXPECT_TRUE(contains(html, "virginica"));
  EXPECT_TRUE(contains(html, "macro F1"));
  EXPECT_TRUE(contains(html, "weighted avg"));
  EXPECT_FALSE(contains(html, "<script"));
}

TEST(EvaluationPage, RegressionPageShowsItsMetrics) {
  std::vector<double> predictions = {1.0, 2.5, 2.0}, targets = {1.0, 2.0, 0.0};
  std::string html =
      render_regression_evaluation_html(regression_metrics(predictions, targets), {});
  for (const char* name : {"RMSE", "MAE", "R²", "MAPE"}) EXPECT_TRUE(contains(html, name)) << name;
  EXPECT_TRUE(contains(html, "over 2 rows")) << "MAPE skips the zero target";
}

}  // namespace
}  // namespace archml::eval
