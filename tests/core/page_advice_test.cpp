#include "archml/core/page_advice.h"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

namespace archml::core {
namespace {

TEST(CorePageAdvice, ReleasingAPrefixLeavesTheRestIntact) {
  std::vector<double> values(1 << 20);
  std::iota(values.begin(), values.end(), 0.0);
  const std::size_t released = values.size() / 2;
  release_pages(values.data(), released * sizeof(double));
  // Only whole pages inside the range go: the first value past it is still there, and so
  // is every later one.
  for (std::size_t i = released; i < values.size(); ++i)
    ASSERT_EQ(values[i], static_cast<double>(i)) << "value " << i;
  // Released memory stays usable and can be freed as usual.
  values[0] = 42;
  EXPECT_EQ(values[0], 42);
}

TEST(CorePageAdvice, ARangeSmallerThanAPageChangesNothing) {
  std::vector<double> values(64, 7.0);
  release_pages(values.data(), values.size() * sizeof(double));
  for (double value : values) EXPECT_EQ(value, 7.0);
  release_pages(values.data(), 0);
}

}  // namespace
}  // namespace archml::core
