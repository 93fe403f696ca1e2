#include "archml/boost/split.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "archml/boost/binned_matrix.h"

namespace archml::boost {
namespace {

struct SmallData {
  std::vector<float> values;
  std::size_t rows = 0, cols = 0;
  std::vector<float> grads, hess;
};

// Few distinct values (so every value has its own bin) and some NaNs.
SmallData make_small(std::uint64_t seed, std::size_t rows, std::size_t cols) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> level(0, 7);
  std::uniform_real_distribution<float> unit(0, 1);
  SmallData d;
  d.rows = rows;
  d.cols = cols;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c)
      d.values.push_back(unit(random) < 0.1f ? NAN : static_cast<float>(level(random)) * 0.5f);
    d.grads.push_back(unit(random) * 2 - 1);
    d.hess.push_back(0.05f + unit(random));
  }
  return d;
}

// The node's histogram built row by row; `total` gets the node's sums.
std::vector<GradStats> histogram_of(const SmallData& d, const BinnedMatrix& m, GradStats& total) {
  std::vector<GradStats> histogram(m.histogram_slots());
  for (std::size_t r = 0; r < d.rows; ++r) {
    for (std::size_t f = 0; f < d.cols; ++f)
      histogram[m.slot_offset(f) + m.row(r)[f]] += {d.grads[r], d.hess[r]};
    total += {d.grads[r], d.hess[r]};
  }
  return histogram;
}

// The best split by trying every threshold on the floats and both missing directions.
SplitCandidate brute_force(const TreeParams& p, const SmallData& d, const BinnedMatrix& m) {
  GradStats total;
  for (std::size_t r = 0; r < d.rows; ++r) total += {d.grads[r], d.hess[r]};
  const double parent = node_gain(p, total);
  SplitCandidate best;
  for (std::uint32_t f = 0; f < d.cols; ++f) {
    for (std::uint32_t b = 0; b < m.bins(f); ++b) {
      const float threshold = m.cuts(f)[b];
      for (bool missing_left : {false, true}) {
        GradStats left, right;
        bool any_missing = false;
        for (std::size_t r = 0; r < d.rows; ++r) {
          const float v = d.values[r * d.cols + f];
          any_missing = any_missing || std::isnan(v);
          const bool goes_left = std::isnan(v) ? missing_left : v < threshold;
          (goes_left ? left : right) += {d.grads[r], d.hess[r]};
        }
        if (missing_left && !any_missing) continue;
        if (left.hess < p.min_child_weight || right.hess < p.min_child_weight) continue;
        const double change = node_gain(p, left) + node_gain(p, right) - parent;
        if (change > best.loss_change + 1e-9)
          best = {change, f, static_cast<std::uint8_t>(b), missing_left, left, right};
      }
    }
  }
  return best;
}

TEST(BoostSplit, MatchesABruteForceSearchOverThresholds) {
  const std::vector<TreeParams> settings = {
      {1, 0, 0, 1}, {0.5, 0.3, 0, 2}, {1, 0, 0.7, 1}, {2, 0.1, 0.5, 5}};
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    for (const TreeParams& p : settings) {
      const SmallData d = make_small(seed, 120, 3);
      const BinnedMatrix m = BinnedMatrix::build({d.values.data(), d.rows, d.cols}, 256, 1);
      GradStats total;
      const std::vector<GradStats> histogram = histogram_of(d, m, total);
      const std::vector<std::uint8_t> all(d.cols, 1);
      const SplitCandidate found = best_split(p, m, histogram, total, all);
      const SplitCandidate expected = brute_force(p, d, m);
      ASSERT_TRUE(expected.found());
      EXPECT_NEAR(found.loss_change, expected.loss_change, 1e-9) << "seed " << seed;
      EXPECT_EQ(found.feature, expected.feature) << "seed " << seed;
      EXPECT_EQ(found.bin, expected.bin) << "seed " << seed;
      EXPECT_EQ(found.default_left, expected.default_left) << "seed " << seed;
      EXPECT_NEAR(found.left.hess, expected.left.hess, 1e-9);
    }
  }
}

TEST(BoostSplit, ExcludedFeaturesAreNotTried) {
  const SmallData d = make_small(9, 200, 3);
  const BinnedMatrix m = BinnedMatrix::build({d.values.data(), d.rows, d.cols}, 256, 1);
  GradStats total;
  const std::vector<GradStats> histogram = histogram_of(d, m, total);
  const TreeParams p;
  const SplitCandidate all = best_split(p, m, histogram, total, std::vector<std::uint8_t>{1, 1, 1});
  std::vector<std::uint8_t> allowed(3, 1);
  allowed[all.feature] = 0;
  const SplitCandidate other = best_split(p, m, histogram, total, allowed);
  EXPECT_NE(other.feature, all.feature);
  EXPECT_LE(other.loss_change, all.loss_change);
}

// XGBoost's CalcWeight and CalcGainGivenWeight (param.h) on hand-computed cases.
TEST(BoostSplit, WeightAndGainFollowXGBoostsFormulas) {
  TreeParams p{1, 0, 0, 1};
  EXPECT_DOUBLE_EQ(node_weight(p, {-4, 3}), 1.0);  // -G / (H + lambda)
  EXPECT_DOUBLE_EQ(node_gain(p, {-4, 3}), 4.0);    // G^2 / (H + lambda)
  p.alpha = 1;                                     // L1: G shrunk by alpha
  EXPECT_DOUBLE_EQ(node_weight(p, {-4, 3}), 0.75);
  EXPECT_DOUBLE_EQ(node_gain(p, {-4, 3}), 9.0 / 4.0);
  p = {1, 0, 0.5, 1};  // max_delta_step caps the weight, the gain follows the capped weight
  EXPECT_DOUBLE_EQ(node_weight(p, {-4, 3}), 0.5);
  EXPECT_DOUBLE_EQ(node_gain(p, {-4, 3}), -(2 * -4 * 0.5 + 4 * 0.25));
  p = {1, 0, 0, 5};  // below min_child_weight: no weight
  EXPECT_DOUBLE_EQ(node_weight(p, {-4, 3}), 0.0);
}

}  // namespace
}  // namespace archml::boost
