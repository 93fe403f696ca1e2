#include "archml/eval/ranked_scores.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "archml/core/error.h"
#include "archml/eval/sortable_keys.h"

namespace archml::eval {
namespace {

TEST(EvalSortableKeys, KeysOrderLikeDoubles) {
  const std::vector<double> ascending = {
      -std::numeric_limits<double>::infinity(), -1e300, -2.5, -1e-300, 0.0, 1e-300, 0.5, 1.0, 3e200,
      std::numeric_limits<double>::infinity()};
  for (std::size_t i = 1; i < ascending.size(); ++i) {
    EXPECT_LT(ordered_key(ascending[i - 1]), ordered_key(ascending[i])) << ascending[i];
  }
  for (const double value : ascending) EXPECT_EQ(from_ordered_key(ordered_key(value)), value);
  EXPECT_EQ(ordered_key(-0.0), ordered_key(0.0));
}

TEST(EvalSortableKeys, RadixSortMatchesStdSort) {
  std::mt19937_64 random(7);
  std::normal_distribution<double> normal(0.0, 3.0);
  for (const std::size_t n : {std::size_t{0}, std::size_t{10}, std::size_t{5000}}) {
    std::vector<std::uint64_t> keys;
    for (std::size_t i = 0; i < n; ++i) {
      // Floats widened to double, as XGBoost scores are, exercise the skipped digits.
      const double value = i % 2 ? normal(random) : static_cast<float>(normal(random));
      keys.push_back(ordered_key(value));
    }
    auto expected = keys;
    std::sort(expected.begin(), expected.end());
    radix_sort(keys);
    EXPECT_EQ(keys, expected);
  }
}

TEST(EvalRankedScores, CollapsesTiesIntoDescendingThresholds) {
  const std::vector<double> scores = {0.2, 0.9, 0.5, 0.5, -0.0, 0.0};
  const std::vector<std::uint8_t> labels = {0, 1, 1, 0, 1, 0};
  const RankedScores ranked(scores, labels);
  EXPECT_EQ(ranked.rows(), 6u);
  EXPECT_EQ(ranked.positives(), 3);
  EXPECT_EQ(ranked.negatives(), 3);
  EXPECT_EQ(std::vector<double>(ranked.thresholds().begin(), ranked.thresholds().end()),
            (std::vector<double>{0.9, 0.5, 0.2, 0.0}));
  const auto tps = ranked.cumulative_positives();
  const auto fps = ranked.cumulative_negatives();
  EXPECT_EQ(std::vector<std::int64_t>(tps.begin(), tps.end()),
            (std::vector<std::int64_t>{1, 2, 2, 3}));
  EXPECT_EQ(std::vector<std::int64_t>(fps.begin(), fps.end()),
            (std::vector<std::int64_t>{0, 1, 2, 3}));
}

TEST(EvalRankedScores, ConfusionAtCutoffFlagsScoresAtOrAboveIt) {
  const std::vector<double> scores = {0.1, 0.4, 0.35, 0.8, 0.4};
  const std::vector<std::uint8_t> labels = {0, 0, 1, 1, 1};
  const RankedScores ranked(scores, labels);
  EXPECT_EQ(ranked.confusion_at(0.4), (ConfusionMatrix{.tn = 1, .fp = 1, .fn = 1, .tp = 2}));
  EXPECT_EQ(ranked.confusion_at(0.4), confusion_at_cutoff(scores, labels, 0.4));
  EXPECT_EQ(ranked.confusion_at(2.0), (ConfusionMatrix{.tn = 2, .fp = 0, .fn = 3, .tp = 0}));
  EXPECT_EQ(ranked.confusion_at(-1.0), (ConfusionMatrix{.tn = 0, .fp = 2, .fn = 0, .tp = 3}));
}

TEST(EvalRankedScores, EmptyInputHasNoThresholds) {
  const RankedScores ranked({}, {});
  EXPECT_EQ(ranked.rows(), 0u);
  EXPECT_TRUE(ranked.thresholds().empty());
  EXPECT_EQ(ranked.confusion_at(0.5), ConfusionMatrix{});
}

TEST(EvalRankedScores, RejectsNaNScoresNamingTheRow) {
  const std::vector<double> scores = {0.1, std::nan(""), 0.3};
  const std::vector<std::uint8_t> labels = {0, 1, 0};
  try {
    RankedScores ranked(scores, labels);
    FAIL() << "NaN accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("row 1 is NaN"), std::string::npos) << error.what();
  }
}

TEST(EvalRankedScores, RejectsMismatchedSizesAndNonBinaryLabels) {
  const std::vector<double> scores = {0.1, 0.2};
  const std::vector<std::uint8_t> one_label = {1};
  const std::vector<std::uint8_t> bad_labels = {0, 2};
  EXPECT_THROW(RankedScores(scores, one_label), Error);
  EXPECT_THROW(RankedScores(scores, bad_labels), Error);
  const std::vector<double> infinite = {0.1, std::numeric_limits<double>::infinity()};
  const std::vector<std::uint8_t> labels = {0, 1};
  EXPECT_THROW(RankedScores(infinite, labels), Error);
}

}  // namespace
}  // namespace archml::eval
