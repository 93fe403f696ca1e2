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

// The parser keys short values by loading 16 bytes at them, past their end; the key,
// and so the hash and the stored record, must be the one built from the bytes alone.
TEST(ShortKey, PaddedLoadsGiveTheSameKeyAsTheValueAlone) {
  const std::string text = "C1231006815,CASH_OUT,\xC3\xA9t\xC3\xA9,x,,M19797871550123456789";
  for (std::size_t begin = 0; begin + 16 <= text.size(); ++begin) {
    for (std::size_t size = 0; size <= ShortKey::kMaxLength; ++size) {
      const std::string_view value(text.data() + begin, size);
      const ShortKey padded = short_key_from_padded(value.data(), size);
      ASSERT_EQ(padded, short_key(value)) << value;
      ASSERT_EQ(padded.view(), value);
      ASSERT_EQ(hash_short(padded), hash_string(value)) << value;
    }
  }
}

TEST(ShortKey, KeysAndTextsInternToTheSameCodes) {
  StringInterner interner;
  const std::vector<std::string> values = {"",
                                           "a",
                                           "CASH_OUT",
                                           "C1231006815",
                                           "TRANSFER",
                                           "exactly15bytes!",
                                           "sixteen bytes!!!",
                                           "a value much longer than sixteen bytes"};
  for (const std::string& value : values) {
    const std::uint32_t code = interner.intern(value);
    if (value.size() <= ShortKey::kMaxLength) {
      EXPECT_EQ(interner.intern(short_key(value)), code) << value;
      EXPECT_TRUE(interner.values().holds(code, short_key(value))) << value;
    }
    EXPECT_EQ(interner.at(code), value);
  }
  EXPECT_EQ(interner.size(), values.size());
  // A long value repacked the records; keys still find the short ones.
  EXPECT_FALSE(interner.values().in_records());
  EXPECT_EQ(interner.intern(short_key("CASH_OUT")), 2u);
  EXPECT_EQ(interner.intern(short_key("CASH_IN")), values.size());
  EXPECT_EQ(interner.at(static_cast<std::uint32_t>(values.size())), "CASH_IN");
}

TEST(Dictionary, RecordsAreTheKeysOfTheirValues) {
  Dictionary dictionary;
  dictionary.append(short_key("PAYMENT"));
  dictionary.append(std::string_view("C1231006815"));
  ASSERT_TRUE(dictionary.in_records());
  EXPECT_EQ(dictionary.record(0), short_key("PAYMENT"));
  EXPECT_EQ(dictionary.record(1), short_key("C1231006815"));
  EXPECT_EQ(dictionary.at(0), "PAYMENT");
  EXPECT_FALSE(dictionary.holds(0, short_key("PAYMENTS")));
  EXPECT_EQ(dictionary.byte_size(), 18u);
}

}  // namespace
}  // namespace archml::data
