#include "archml/store/multipart_plan.h"

#include <gtest/gtest.h>

namespace archml::store {
namespace {

constexpr std::uint64_t kMiB = 1ull << 20;

void expect_contiguous(const std::vector<Part>& parts, std::uint64_t size) {
  std::uint64_t offset = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    EXPECT_EQ(parts[i].number, static_cast<int>(i) + 1);
    EXPECT_EQ(parts[i].offset, offset);
    EXPECT_GT(parts[i].length, 0u);
    if (i + 1 < parts.size()) {
      EXPECT_GE(parts[i].length, kMinPartBytes);
    }
    offset += parts[i].length;
  }
  EXPECT_EQ(offset, size);
}

TEST(MultipartPlan, CutsIntoEqualPartsAndAShorterLastOne) {
  std::vector<Part> parts = plan_parts(100'000'000, 16 * kMiB);
  ASSERT_EQ(parts.size(), 6u);
  EXPECT_EQ(parts[0].length, 16 * kMiB);
  EXPECT_EQ(parts[5].length, 100'000'000 - 5 * 16 * kMiB);
  expect_contiguous(parts, 100'000'000);
  EXPECT_EQ(plan_parts(32 * kMiB, 16 * kMiB).size(), 2u);  // exact multiple: no empty tail
  EXPECT_TRUE(plan_parts(0, 16 * kMiB).empty());
}

TEST(MultipartPlan, RaisesPartsBelowTheS3Minimum) {
  std::vector<Part> parts = plan_parts(12 * kMiB, 1 * kMiB);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].length, kMinPartBytes);
  expect_contiguous(parts, 12 * kMiB);
}

TEST(MultipartPlan, GrowsPartsToStayWithinTenThousand) {
  std::uint64_t size = 1ull << 40;  // 1 TiB at 16 MiB would need 65,536 parts
  std::vector<Part> parts = plan_parts(size, 16 * kMiB);
  EXPECT_LE(parts.size(), kMaxParts);
  EXPECT_EQ(parts[0].length % kMiB, 0u);
  expect_contiguous(parts, size);
}

TEST(MultipartPlan, ThresholdDecidesAndHugeObjectsAlwaysGoInParts) {
  EXPECT_FALSE(use_multipart(0, 64 * kMiB));
  EXPECT_FALSE(use_multipart(64 * kMiB - 1, 64 * kMiB));
  EXPECT_TRUE(use_multipart(64 * kMiB, 64 * kMiB));
  EXPECT_TRUE(use_multipart(6ull << 30, 1ull << 40));  // over S3's 5 GiB single PUT
}

}  // namespace
}  // namespace archml::store
