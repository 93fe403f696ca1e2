#include "archml/report/sparkline.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace archml::report {
namespace {

TEST(Sparkline, RisingSeriesGoesFromLowestToHighestBlock) {
  std::vector<double> values = {0, 1, 2, 3, 4, 5, 6, 7};
  EXPECT_EQ(sparkline(values), "▁▂▃▄▅▆▇█");
}

TEST(Sparkline, LongSeriesAreAveragedIntoTheWidth) {
  std::vector<double> values;
  for (int i = 0; i < 100; ++i) values.push_back(i < 50 ? 0.0 : 1.0);
  EXPECT_EQ(sparkline(values, 4), "▁▁██");
}

TEST(Sparkline, FlatEmptyAndNanSeries) {
  std::vector<double> flat = {2, 2, 2};
  EXPECT_EQ(sparkline(flat), "▄▄▄");
  EXPECT_EQ(sparkline(std::vector<double>{}), "");
  std::vector<double> with_nan = {0, NAN, 1};
  EXPECT_EQ(sparkline(with_nan), "▁█");
}

}  // namespace
}  // namespace archml::report
