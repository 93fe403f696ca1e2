#include "archml/model/binary_areas.h"

#include <gtest/gtest.h>
#include <xgboost/c_api.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <numeric>
#include <random>
#include <set>
#include <tuple>
#include <vector>

#include "archml/core/error.h"
#include "archml/model/booster.h"

namespace archml::model {
namespace {

// XGBoost itself as the reference: a booster with no trees predicts each row's
// base_margin, so its evaluation of a matrix whose margins are the logits of `scores`
// gives XGBoost's auc and aucpr of those scores. Returns the probabilities XGBoost
// evaluated (the float sigmoid of each margin) with its two values.
std::tuple<std::vector<float>, BinaryAreas> xgboost_areas(const std::vector<float>& scores,
                                                          const std::vector<float>& labels) {
  std::vector<float> features(scores.size(), 0.0f), margins;
  for (float score : scores) margins.push_back(std::log(score / (1.0f - score)));
  DMatrixHandle matrix = nullptr;
  EXPECT_EQ(XGDMatrixCreateFromMat(features.data(), scores.size(), 1, NAN, &matrix), 0);
  EXPECT_EQ(XGDMatrixSetFloatInfo(matrix, "label", labels.data(), labels.size()), 0);
  EXPECT_EQ(XGDMatrixSetFloatInfo(matrix, "base_margin", margins.data(), margins.size()), 0);
  BoosterHandle booster = nullptr;
  EXPECT_EQ(XGBoosterCreate(&matrix, 1, &booster), 0);
  for (const auto& [name, value] : {std::pair{"objective", "binary:logistic"},
                                    {"eval_metric", "auc"},
                                    {"eval_metric", "aucpr"},
                                    {"nthread", "1"}})
    EXPECT_EQ(XGBoosterSetParam(booster, name, value), 0);
  const char* names[] = {"v"};
  const char* line = nullptr;
  EXPECT_EQ(XGBoosterEvalOneIter(booster, 0, &matrix, names, 1, &line), 0);
  const std::vector<Metric> metrics = parse_evaluation(line);
  bst_ulong length = 0;
  const float* predicted = nullptr;
  EXPECT_EQ(XGBoosterPredict(booster, matrix, 0, 0, 0, &length, &predicted), 0);
  std::vector<float> probabilities(predicted, predicted + length);
  XGBoosterFree(booster);
  XGDMatrixFree(matrix);
  EXPECT_EQ(metrics.size(), 2u);
  return {probabilities, BinaryAreas{metrics.at(0).value, metrics.at(1).value}};
}

// Scores drawn from `levels` distinct values (many ties when small), positives rarer and
// scoring higher on average, as a fraud model's do.
std::tuple<std::vector<float>, std::vector<float>> draw(std::size_t rows, int levels,
                                                        double positive_rate, unsigned seed) {
  std::mt19937 random(seed);
  std::bernoulli_distribution positive(positive_rate);
  std::uniform_int_distribution<int> level(0, levels - 1);
  std::vector<float> scores(rows), labels(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    labels[i] = positive(random) ? 1.0f : 0.0f;
    const int a = level(random), b = level(random);
    const int chosen = labels[i] == 1.0f ? std::max(a, b) : std::min(a, b);
    scores[i] = (static_cast<float>(chosen) + 0.5f) / static_cast<float>(levels);
  }
  return {scores, labels};
}

TEST(BinaryAreas, EqualXGBoostsOwnToTheBit) {
  for (const auto& [rows, levels, rate] :
       {std::tuple<std::size_t, int, double>{20'000, 1'000'000, 0.002},
        {20'000, 50, 0.01},
        {5'000, 3, 0.3},
        {3'000, 2'000, 0.5},
        {10'000, 100'000, 0.9}}) {
    for (unsigned seed = 1; seed <= 3; ++seed) {
      const auto [drawn, labels] = draw(rows, levels, rate, seed);
      const auto [scores, expected] = xgboost_areas(drawn, labels);
      const BinaryAreas got = binary_areas(scores, labels);
      EXPECT_EQ(as_xgboost_reports(got.roc_auc), expected.roc_auc)
          << rows << " rows, " << levels << " levels";
      EXPECT_EQ(as_xgboost_reports(got.pr_auc), expected.pr_auc)
          << rows << " rows, " << levels << " levels " << std::setprecision(20) << got.pr_auc << " "
          << expected.pr_auc;
      EXPECT_GT(got.roc_auc, 0.5);
      EXPECT_LT(got.pr_auc, 1.0);
    }
  }
}

TEST(BinaryAreas, ThreadsCountTheSameNegatives) {
  const auto [scores, labels] = draw(400'000, 5'000, 0.003, 9);
  const BinaryAreas one = binary_areas(scores, labels, 1);
  for (unsigned threads : {2u, 3u, 8u}) {
    const BinaryAreas many = binary_areas(scores, labels, threads);
    EXPECT_EQ(many.roc_auc, one.roc_auc) << threads;
    EXPECT_EQ(many.pr_auc, one.pr_auc) << threads;
  }
  const auto [drawn, xgboost_labels] = draw(300'000, 100'000, 0.01, 10);
  const auto [probabilities, expected] = xgboost_areas(drawn, xgboost_labels);
  const BinaryAreas got = binary_areas(probabilities, xgboost_labels, 4);
  EXPECT_EQ(as_xgboost_reports(got.roc_auc), expected.roc_auc);
  EXPECT_EQ(as_xgboost_reports(got.pr_auc), expected.pr_auc);
}

// Margins rather than probabilities: negative and positive scores, -0 beside +0 (equal
// as floats, so tied), values packed close together and far apart. Only the order and
// the ties count, so the reference is XGBoost on each score's rank among the distinct
// values, which keeps both.
TEST(BinaryAreas, ScoresOfAnySignRankAsFloatsCompare) {
  std::mt19937 random(17);
  std::bernoulli_distribution positive(0.05);
  std::uniform_int_distribution<int> pick(0, 7);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const std::vector<float> specials = {-0.0f, 0.0f, -1e-30f, 1e-30f, -3.5f, 3.5f, 1e20f, -1e20f};
  std::vector<float> scores, labels;
  for (int i = 0; i < 30'000; ++i) {
    const bool is_positive = positive(random);
    labels.push_back(is_positive ? 1.0f : 0.0f);
    const int kind = pick(random);
    if (kind < 2)
      scores.push_back(specials[static_cast<std::size_t>(pick(random))]);
    else if (kind < 4)
      scores.push_back(1.0f + static_cast<float>(pick(random)) * 1e-7f);  // one bucket
    else
      scores.push_back(normal(random) * 8.0f + (is_positive ? 4.0f : -4.0f));
  }
  std::vector<float> distinct = scores;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  std::vector<float> ranks;
  for (float score : scores) {
    const auto rank = std::lower_bound(distinct.begin(), distinct.end(), score) - distinct.begin();
    ranks.push_back((static_cast<float>(rank) + 0.5f) / static_cast<float>(distinct.size()));
  }
  const auto [probabilities, expected] = xgboost_areas(ranks, labels);
  ASSERT_EQ(std::set<float>(probabilities.begin(), probabilities.end()).size(), distinct.size());
  const BinaryAreas got = binary_areas(scores, labels);
  EXPECT_EQ(as_xgboost_reports(got.roc_auc), expected.roc_auc);
  EXPECT_EQ(as_xgboost_reports(got.pr_auc), expected.pr_auc);
}

TEST(BinaryAreas, PerfectAndReversedRankings) {
  const std::vector<float> labels = {1, 1, 0, 0, 0};
  const BinaryAreas perfect =
      binary_areas(std::vector<float>{0.9f, 0.8f, 0.3f, 0.2f, 0.1f}, labels);
  EXPECT_EQ(perfect.roc_auc, 1.0);
  EXPECT_DOUBLE_EQ(perfect.pr_auc, 1.0);
  const BinaryAreas reversed =
      binary_areas(std::vector<float>{0.1f, 0.2f, 0.7f, 0.8f, 0.9f}, labels);
  EXPECT_EQ(reversed.roc_auc, 0.0);
  EXPECT_LT(reversed.pr_auc, 0.5);
  // Every score tied: ROC is the diagonal's half, PR the positive rate.
  const BinaryAreas tied = binary_areas(std::vector<float>(5, 0.5f), labels);
  EXPECT_EQ(tied.roc_auc, 0.5);
  EXPECT_DOUBLE_EQ(tied.pr_auc, 0.4);
}

TEST(BinaryAreas, OneClassOrANaNScoreGivesNaNAsXGBoostDoes) {
  const std::vector<float> scores = {0.1f, 0.2f, 0.3f};
  EXPECT_TRUE(std::isnan(binary_areas(scores, std::vector<float>{0, 0, 0}).roc_auc));
  EXPECT_TRUE(std::isnan(binary_areas(scores, std::vector<float>{1, 1, 1}).pr_auc));
  const std::vector<float> with_nan = {0.1f, NAN, 0.3f};
  EXPECT_TRUE(std::isnan(binary_areas(with_nan, std::vector<float>{0, 1, 1}).roc_auc));
}

TEST(BinaryAreas, RejectsLabelsOtherThanZeroAndOne) {
  const std::vector<float> scores = {0.1f, 0.2f};
  EXPECT_THROW(binary_areas(scores, std::vector<float>{0, 0.5f}), Error);
  EXPECT_THROW(binary_areas(scores, std::vector<float>{0}), Error);
}

}  // namespace
}  // namespace archml::model
