#include "archml/data/dictionary_merge.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_map>

namespace archml::data {
namespace {

// Enough values to take the hash-partitioned path, with repeats across parts and
// some long strings that do not fit a record inline.
TEST(DictionaryMerge, CodesFollowFirstAppearanceAcrossParts) {
  std::vector<StringInterner> parts(12);
  std::vector<std::vector<std::string>> inputs(parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    for (std::size_t k = 0; k < 20000; ++k) {
      std::size_t id = (i * 7919 + k * 31) % 90000;
      std::string value = std::string("C").append(std::to_string(id));
      if (id % 97 == 0) value.append(40, 'x');
      inputs[i].push_back(value);
      parts[i].intern(value);
    }
  }
  std::unordered_map<std::string, std::uint32_t> expected;
  std::vector<std::string> order;
  for (const auto& input : inputs)
    for (const auto& value : input)
      if (expected.emplace(value, static_cast<std::uint32_t>(order.size())).second)
        order.push_back(value);

  std::vector<std::vector<std::string>> locals(parts.size());
  std::vector<StringInterner*> pointers;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    for (std::uint32_t code = 0; code < parts[i].size(); ++code)
      locals[i].emplace_back(parts[i].at(code));
    pointers.push_back(&parts[i]);
  }
  MergedDictionary merged = merge_dictionaries(pointers, 4);
  ASSERT_EQ(merged.dictionary.size(), order.size());
  for (std::uint32_t code = 0; code < order.size(); ++code)
    ASSERT_EQ(merged.dictionary.at(code), order[code]);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    ASSERT_EQ(merged.remaps[i].size(), locals[i].size());
    for (std::size_t code = 0; code < locals[i].size(); ++code)
      ASSERT_EQ(merged.remaps[i][code], expected.at(locals[i][code]));
  }
}

}  // namespace
}  // namespace archml::data
