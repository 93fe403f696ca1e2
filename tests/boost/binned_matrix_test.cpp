#include "archml/boost/binned_matrix.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace archml::boost {
namespace {

// A split after bin b must send exactly the values below cut b left: the float rule of
// XGBoost's trees and the bin rule of the engine agree on every value.
TEST(BoostBinnedMatrix, BinsAgreeWithTheCutsAsThresholds) {
  std::mt19937_64 random(5);
  std::normal_distribution<float> normal(0, 3);
  const std::size_t rows = 5000, cols = 3;
  std::vector<float> values;
  for (std::size_t i = 0; i < rows * cols; ++i) {
    const float v = normal(random);
    values.push_back(i % 3 == 1 ? std::round(v) : i % 17 == 0 ? NAN : v);
  }
  const BinnedMatrix m = BinnedMatrix::build({values.data(), rows, cols}, 64, 2, 1000);
  for (std::size_t f = 0; f < cols; ++f) {
    EXPECT_LE(m.bins(f), 64u);
    for (std::size_t b = 1; b < m.bins(f); ++b) EXPECT_LT(m.cuts(f)[b - 1], m.cuts(f)[b]);
  }
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t f = 0; f < cols; ++f) {
      const float v = values[r * cols + f];
      const std::uint8_t bin = m.row(r)[f];
      if (std::isnan(v)) {
        EXPECT_EQ(bin, m.bins(f));
        continue;
      }
      ASSERT_LT(bin, m.bins(f));
      for (std::uint32_t b = 0; b + 1 < m.bins(f); ++b)
        ASSERT_EQ(bin <= b, v < m.cuts(f)[b]) << "row " << r << " feature " << f;
    }
  }
}

TEST(BoostBinnedMatrix, FewDistinctValuesGetABinEach) {
  const std::vector<float> cuts = quantile_cuts({0, 1, 0, 1, 1, NAN, 0}, 256);
  ASSERT_EQ(cuts.size(), 2u);
  EXPECT_EQ(cuts[0], 1.0f);
  EXPECT_GT(cuts[1], 1.0f);
}

TEST(BoostBinnedMatrix, ManyValuesAreCappedAtMaxBin) {
  std::vector<float> values;
  for (int i = 0; i < 10000; ++i) values.push_back(static_cast<float>(i));
  EXPECT_LE(quantile_cuts(values, 16).size(), 16u);
  EXPECT_LE(quantile_cuts(values, 1000).size(), static_cast<std::size_t>(kMaxBins));
}

}  // namespace
}  // namespace archml::boost
