// Compares eval against scikit-learn on random data with many ties: writes the cases to a
// temporary JSON file, runs tests/eval/sklearn_reference.py with /usr/bin/python3, and
// checks every number to 1e-9. Skipped where that Python lacks scikit-learn.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "archml/eval/classification_report.h"
#include "archml/eval/multiclass_evaluation.h"
#include "archml/eval/precision_recall.h"
#include "archml/eval/probability_metrics.h"
#include "archml/eval/ranked_scores.h"
#include "archml/eval/regression.h"
#include "archml/eval/roc.h"

namespace archml::eval {
namespace {

constexpr double kTolerance = 1e-9;
constexpr std::size_t kNoThinning = 1'000'000;
const std::vector<double> kCutoffs = {0.3, 0.5, 0.77};

struct BinaryCase {
  std::vector<double> scores;
  std::vector<std::uint8_t> labels;
};

struct MulticlassCase {
  std::vector<double> probabilities;  // row-major
  std::vector<std::int32_t> labels;
  std::size_t classes = 0;
};

struct RegressionCase {
  std::vector<double> predictions;
  std::vector<double> targets;
};

// Scores rounded to `decimals` so that many rows share a score, with labels that follow
// the score loosely (an informative but imperfect model).
BinaryCase make_binary(std::size_t rows, int decimals, double positive_rate, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::normal_distribution<double> noise(0.0, 0.25);
  const double scale = std::pow(10.0, decimals);
  BinaryCase c;
  for (std::size_t row = 0; row < rows; ++row) {
    const bool positive = uniform(random) < positive_rate;
    const double score = std::clamp((positive ? 0.65 : 0.35) + noise(random), 0.0, 1.0);
    c.scores.push_back(std::round(score * scale) / scale);
    c.labels.push_back(positive ? 1 : 0);
  }
  return c;
}

MulticlassCase make_multiclass(std::size_t rows, std::size_t classes, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  MulticlassCase c;
  c.classes = classes;
  for (std::size_t row = 0; row < rows; ++row) {
    const auto label = static_cast<std::int32_t>(row % classes);  // every class present
    c.labels.push_back(label);
    std::vector<double> weights(classes);
    double sum = 0;
    for (std::size_t k = 0; k < classes; ++k) {
      // Coarse weights make argmax ties; an occasional 0 exercises clipping.
      weights[k] = std::floor(uniform(random) * 4) + (k == static_cast<std::size_t>(label) ? 1 : 0);
      sum += weights[k];
    }
    for (std::size_t k = 0; k < classes; ++k) {
      c.probabilities.push_back(sum == 0 ? 1.0 / static_cast<double>(classes) : weights[k] / sum);
    }
  }
  return c;
}

RegressionCase make_regression(std::size_t rows, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> target(50.0, 20.0);
  std::normal_distribution<double> noise(0.0, 5.0);
  RegressionCase c;
  for (std::size_t row = 0; row < rows; ++row) {
    double y = target(random);
    if (std::abs(y) < 1e-3) y = 1.0;  // sklearn's MAPE divides by epsilon at zero; ours skips
    c.targets.push_back(y);
    c.predictions.push_back(y + noise(random));
  }
  return c;
}

bool python_has_sklearn() {
  return std::system("/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1") == 0;
}

void expect_close(double actual, const nlohmann::json& expected, const std::string& what) {
  EXPECT_NEAR(actual, expected.get<double>(), kTolerance) << what;
}

void expect_all_close(const std::vector<double>& actual, const nlohmann::json& expected,
                      const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i) expect_close(actual[i], expected[i], what);
}

void check_binary(const BinaryCase& c, const nlohmann::json& reference, const std::string& name) {
  const RankedScores ranked(c.scores, c.labels);
  expect_close(roc_auc(ranked), reference["roc_auc"], name + " roc_auc");
  expect_close(average_precision(ranked), reference["average_precision"], name + " AP");
  expect_close(log_loss(c.scores, c.labels), reference["log_loss"], name + " log_loss");
  expect_close(brier_score(c.scores, c.labels), reference["brier"], name + " brier");

  std::vector<double> fpr, tpr, roc_thresholds;
  for (const RocPoint& point : roc_curve(ranked, kNoThinning)) {
    fpr.push_back(point.false_positive_rate);
    tpr.push_back(point.true_positive_rate);
    roc_thresholds.push_back(point.threshold);
  }
  roc_thresholds.erase(roc_thresholds.begin());
  expect_all_close(fpr, reference["roc_fpr"], name + " roc fpr");
  expect_all_close(tpr, reference["roc_tpr"], name + " roc tpr");
  expect_all_close(roc_thresholds, reference["roc_thresholds"], name + " roc thresholds");

  std::vector<double> precision, recall, pr_thresholds;
  for (const PrPoint& point : precision_recall_curve(ranked, kNoThinning)) {
    precision.push_back(point.precision);
    recall.push_back(point.recall);
    pr_thresholds.push_back(point.threshold);
  }
  pr_thresholds.erase(pr_thresholds.begin());
  expect_all_close(precision, reference["pr_precision"], name + " pr precision");
  expect_all_close(recall, reference["pr_recall"], name + " pr recall");
  expect_all_close(pr_thresholds, reference["pr_thresholds"], name + " pr thresholds");

  for (std::size_t i = 0; i < kCutoffs.size(); ++i) {
    const std::string at = name + " at cutoff " + std::to_string(kCutoffs[i]);
    const auto& expected = reference["at_cutoff"][i];
    const ConfusionMatrix confusion = ranked.confusion_at(kCutoffs[i]);
    EXPECT_EQ(confusion, confusion_at_cutoff(c.scores, c.labels, kCutoffs[i])) << at;
    EXPECT_EQ(nlohmann::json({confusion.tn, confusion.fp, confusion.fn, confusion.tp}),
              expected["confusion"])
        << at;
    const ClassificationReport report = classification_report(confusion);
    expect_close(report.accuracy, expected["accuracy"], at + " accuracy");
    for (std::size_t k = 0; k < 2; ++k) {
      expect_close(report.classes[k].precision, expected["precision"][k], at + " precision");
      expect_close(report.classes[k].recall, expected["recall"][k], at + " recall");
      expect_close(report.classes[k].f1, expected["f1"][k], at + " f1");
      EXPECT_EQ(report.classes[k].support, expected["support"][k].get<std::int64_t>()) << at;
    }
    for (const auto& [average, key] :
         {std::pair{&report.macro_avg, "macro"}, std::pair{&report.weighted_avg, "weighted"}}) {
      expect_close(average->precision, expected[key][0], at + " " + key + " precision");
      expect_close(average->recall, expected[key][1], at + " " + key + " recall");
      expect_close(average->f1, expected[key][2], at + " " + key + " f1");
    }
  }
}

TEST(EvalSklearnReference, AgreesWithScikitLearn) {
  if (!python_has_sklearn())
    GTEST_SKIP() << "SKIP: /usr/bin/python3 has no scikit-learn (Debian package python3-sklearn)";

  std::vector<BinaryCase> binary = {
      make_binary(3000, 2, 0.3, 1),   // many ties
      make_binary(500, 1, 0.5, 2),    // very coarse: eleven distinct scores
      make_binary(2000, 6, 0.02, 3),  // rare positives, almost no ties
  };
  // Extremes: scores of exactly 0 and 1 exercise log-loss clipping.
  binary.push_back({{0.0, 1.0, 1.0, 0.0, 0.5, 0.25, 1.0, 0.0}, {0, 1, 0, 1, 1, 0, 1, 0}});
  const std::vector<MulticlassCase> multiclass = {make_multiclass(1200, 4, 4),
                                                  make_multiclass(300, 3, 5)};
  const std::vector<RegressionCase> regression = {make_regression(1500, 6)};

  nlohmann::json input = {{"binary", nlohmann::json::array()},
                          {"multiclass", nlohmann::json::array()},
                          {"regression", nlohmann::json::array()}};
  for (const auto& c : binary) {
    input["binary"].push_back({{"scores", c.scores}, {"labels", c.labels}, {"cutoffs", kCutoffs}});
  }
  for (const auto& c : multiclass) {
    auto rows = nlohmann::json::array();
    for (std::size_t row = 0; row < c.labels.size(); ++row) {
      rows.push_back(std::vector<double>(c.probabilities.begin() + row * c.classes,
                                         c.probabilities.begin() + (row + 1) * c.classes));
    }
    input["multiclass"].push_back(
        {{"probabilities", rows}, {"labels", c.labels}, {"classes", c.classes}});
  }
  for (const auto& c : regression) {
    input["regression"].push_back({{"predictions", c.predictions}, {"targets", c.targets}});
  }

  const auto directory = std::filesystem::temp_directory_path() /
                         ("archml-eval-sklearn-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(directory);
  const auto input_path = directory / "input.json";
  const auto output_path = directory / "output.json";
  std::ofstream(input_path) << input.dump();
  const std::string command = std::string("/usr/bin/python3 ") + ARCHML_SOURCE_DIR +
                              "/tests/eval/sklearn_reference.py " + input_path.string() + " " +
                              output_path.string();
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  nlohmann::json reference;
  std::ifstream(output_path) >> reference;
  std::filesystem::remove_all(directory);

  for (std::size_t i = 0; i < binary.size(); ++i) {
    check_binary(binary[i], reference["binary"][i], "binary case " + std::to_string(i));
  }
  for (std::size_t i = 0; i < multiclass.size(); ++i) {
    const auto& c = multiclass[i];
    const auto& expected = reference["multiclass"][i];
    const std::string name = "multiclass case " + std::to_string(i);
    const MulticlassEvaluation evaluation =
        evaluate_multiclass(c.probabilities, c.classes, c.labels);
    expect_close(evaluation.log_loss, expected["log_loss"], name + " log_loss");
    expect_close(evaluation.accuracy, expected["accuracy"], name + " accuracy");
    expect_close(evaluation.macro_f1, expected["macro_f1"], name + " macro f1");
    expect_close(evaluation.weighted_f1, expected["weighted_f1"], name + " weighted f1");
    std::vector<std::int64_t> expected_counts;
    for (const auto& row : expected["confusion"]) {
      for (const auto& value : row) expected_counts.push_back(value.get<std::int64_t>());
    }
    EXPECT_EQ(evaluation.confusion.counts, expected_counts) << name;
    for (std::size_t k = 0; k < c.classes; ++k) {
      expect_close(evaluation.report.classes[k].precision, expected["precision"][k], name);
      expect_close(evaluation.report.classes[k].recall, expected["recall"][k], name);
      expect_close(evaluation.report.classes[k].f1, expected["f1"][k], name);
      EXPECT_EQ(evaluation.report.classes[k].support, expected["support"][k].get<std::int64_t>());
    }
  }
  for (std::size_t i = 0; i < regression.size(); ++i) {
    const auto& expected = reference["regression"][i];
    const RegressionMetrics metrics =
        regression_metrics(regression[i].predictions, regression[i].targets);
    expect_close(metrics.rmse, expected["rmse"], "rmse");
    expect_close(metrics.mae, expected["mae"], "mae");
    expect_close(metrics.r2, expected["r2"], "r2");
    expect_close(metrics.mape, expected["mape"], "mape");
  }
}

}  // namespace
}  // namespace archml::eval
