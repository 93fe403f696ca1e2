#include "archml/eval/classification_report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "archml/core/error.h"
#include "archml/eval/multiclass.h"
#include "archml/eval/multiclass_evaluation.h"

namespace archml::eval {
namespace {

using Classes = std::vector<std::int32_t>;

// Actual [0,1,2,2,1,0], predicted [0,2,2,2,1,1]:
//   actual 0: predicted 0 once, 1 once; actual 1: 1 once, 2 once; actual 2: 2 twice.
MulticlassConfusion hand_confusion() {
  return multiclass_confusion(Classes{0, 1, 2, 2, 1, 0}, Classes{0, 2, 2, 2, 1, 1}, 3);
}

TEST(EvalMulticlassConfusion, RowsAreActualColumnsPredicted) {
  const MulticlassConfusion confusion = hand_confusion();
  EXPECT_EQ(confusion.counts, (std::vector<std::int64_t>{1, 1, 0, 0, 1, 1, 0, 0, 2}));
  EXPECT_EQ(confusion.rows(), 6);
  EXPECT_DOUBLE_EQ(accuracy(confusion), 4.0 / 6);
}

TEST(EvalClassificationReport, PerClassAndAverages) {
  const ClassificationReport report = classification_report(hand_confusion());
  ASSERT_EQ(report.classes.size(), 3u);
  EXPECT_DOUBLE_EQ(report.classes[0].precision, 1.0);
  EXPECT_DOUBLE_EQ(report.classes[0].recall, 0.5);
  EXPECT_DOUBLE_EQ(report.classes[0].f1, 2.0 / 3);
  EXPECT_DOUBLE_EQ(report.classes[1].precision, 0.5);
  EXPECT_DOUBLE_EQ(report.classes[1].f1, 0.5);
  EXPECT_DOUBLE_EQ(report.classes[2].precision, 2.0 / 3);
  EXPECT_DOUBLE_EQ(report.classes[2].recall, 1.0);
  EXPECT_DOUBLE_EQ(report.classes[2].f1, 0.8);
  EXPECT_EQ(report.classes[2].support, 2);
  EXPECT_DOUBLE_EQ(report.macro_avg.f1, (2.0 / 3 + 0.5 + 0.8) / 3);
  EXPECT_DOUBLE_EQ(report.weighted_avg.f1, (2.0 / 3 + 0.5 + 0.8) * 2 / 6);
  EXPECT_EQ(report.macro_avg.support, 6);
  EXPECT_DOUBLE_EQ(report.accuracy, 4.0 / 6);
}

TEST(EvalClassificationReport, BinaryReportListsBothClasses) {
  const ClassificationReport report =
      classification_report(ConfusionMatrix{.tn = 8, .fp = 2, .fn = 1, .tp = 3});
  ASSERT_EQ(report.classes.size(), 2u);
  EXPECT_DOUBLE_EQ(report.classes[1].precision, 3.0 / 5);
  EXPECT_DOUBLE_EQ(report.classes[1].recall, 3.0 / 4);
  EXPECT_EQ(report.classes[1].support, 4);
  EXPECT_DOUBLE_EQ(report.classes[0].precision, 8.0 / 9);
  EXPECT_DOUBLE_EQ(report.classes[0].recall, 0.8);
  EXPECT_EQ(report.classes[0].support, 10);
  EXPECT_DOUBLE_EQ(report.accuracy, 11.0 / 14);
}

TEST(EvalClassificationReport, ZeroDivisionCountsAsZero) {
  // Nothing predicted positive, no positives: class 1 is all zeros, never NaN.
  const ClassificationReport report = classification_report(ConfusionMatrix{.tn = 5});
  EXPECT_EQ(report.classes[1].precision, 0.0);
  EXPECT_EQ(report.classes[1].recall, 0.0);
  EXPECT_EQ(report.classes[1].f1, 0.0);
  EXPECT_DOUBLE_EQ(report.macro_avg.f1, 0.5);
  const ClassificationReport empty = classification_report(ConfusionMatrix{});
  EXPECT_TRUE(std::isnan(empty.accuracy));
  EXPECT_EQ(empty.weighted_avg.f1, 0.0);
}

TEST(EvalMulticlass, ArgmaxTiesGoToTheLowerClass) {
  const std::vector<double> probabilities = {0.2, 0.4, 0.4, 0.5, 0.25, 0.25, 0.1, 0.1, 0.8};
  EXPECT_EQ(argmax_classes(probabilities, 3), (Classes{1, 0, 2}));
  EXPECT_THROW(argmax_classes(std::vector<double>{0.5, 0.5, 0.1}, 2), Error);
}

TEST(EvalMulticlass, LogLossClipsAndRenormalises) {
  const std::vector<double> probabilities = {0.7, 0.2, 0.1, 0.1, 0.1, 0.8};
  EXPECT_NEAR(multiclass_log_loss(probabilities, 3, Classes{0, 2}),
              -(std::log(0.7) + std::log(0.8)) / 2, 1e-15);
  // Rows that do not sum to 1 are renormalised, as sklearn does.
  EXPECT_NEAR(multiclass_log_loss(std::vector<double>{2, 2}, 2, Classes{1}), std::log(2.0), 1e-15);
  EXPECT_TRUE(std::isnan(multiclass_log_loss({}, 3, {})));
  EXPECT_THROW(multiclass_log_loss(probabilities, 3, Classes{0, 3}), Error);
  EXPECT_THROW(multiclass_log_loss(probabilities, 3, Classes{0}), Error);
  EXPECT_THROW(multiclass_log_loss(std::vector<double>{-0.1, 1.1}, 2, Classes{0}), Error);
}

TEST(EvalMulticlass, EvaluationBundlesTheMetrics) {
  const std::vector<double> probabilities = {0.7, 0.2, 0.1, 0.1, 0.1, 0.8, 0.3, 0.6, 0.1};
  const MulticlassEvaluation evaluation = evaluate_multiclass(probabilities, 3, Classes{0, 2, 2});
  EXPECT_EQ(evaluation.rows, 3);
  EXPECT_DOUBLE_EQ(evaluation.accuracy, 2.0 / 3);
  EXPECT_EQ(evaluation.confusion.at(2, 1), 1);
  EXPECT_DOUBLE_EQ(evaluation.macro_f1, evaluation.report.macro_avg.f1);
}

}  // namespace
}  // namespace archml::eval
