#include "archml/data/string_interner.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace archml::data {
namespace {

// Values as the CSV reader meets them: chunks of IDs, some repeated, a few long enough
// to leave the dictionary's short records, merged chunk by chunk into one interner.
// The codes must follow first appearance, as a plain hash map assigns them.
void check_merge(bool chunks_deduplicate, bool long_values) {
  std::mt19937_64 random(chunks_deduplicate ? 5 : 6);
  std::unordered_map<std::string, std::uint32_t> expected;
  StringInterner merged(false);
  merged.reserve(1000, 11000);  // far too small: the table must grow on the way
  std::vector<std::uint32_t> remap;
  for (int chunk = 0; chunk < 40; ++chunk) {
    StringInterner part;
    std::vector<std::string> rows;
    std::vector<std::uint32_t> local_codes;
    for (int row = 0; row < 2000; ++row) {
      std::string value = "C" + std::to_string(random() % 30000);
      if (long_values && random() % 50 == 0) value += std::string(20, 'x');
      rows.push_back(value);
      local_codes.push_back(chunks_deduplicate ? part.intern(value) : part.append_unchecked(value));
    }
    merged.intern_all(part, remap);
    for (std::size_t row = 0; row < rows.size(); ++row) {
      const auto [it, added] =
          expected.emplace(rows[row], static_cast<std::uint32_t>(expected.size()));
      ASSERT_EQ(remap[local_codes[row]], it->second) << rows[row];
    }
  }
  ASSERT_EQ(merged.size(), expected.size());
  for (const auto& [value, code] : expected) {
    ASSERT_EQ(merged.at(code), value);
    ASSERT_EQ(merged.find(value), code);
  }
  EXPECT_EQ(merged.find("absent"), Column::kMissingCode);
}

TEST(StringInterner, MergedCodesFollowFirstAppearance) {
  check_merge(true, false);
  check_merge(false, false);
}

TEST(StringInterner, MergedCodesSurviveLongValues) {
  check_merge(true, true);
  check_merge(false, true);
}

}  // namespace
}  // namespace archml::data
