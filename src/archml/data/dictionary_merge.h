// Merges the per-chunk interners of one string column into a single Dictionary. Codes
// follow the order of first appearance across the chunks taken in order, so a table
// is the same whatever the number of chunks or threads that read it.
#pragma once

#include <cstdint>
#include <vector>

#include "archml/data/string_interner.h"
#include "archml/data/table.h"

namespace archml::data {

struct MergedDictionary {
  Dictionary dictionary;
  // remaps[i][local code in part i] = code in `dictionary`.
  std::vector<std::vector<std::uint32_t>> remaps;
};

// Consumes the parts (they are left empty) to keep peak memory near one copy of
// the strings.
MergedDictionary merge_dictionaries(const std::vector<StringInterner*>& parts, unsigned threads);

}  // namespace archml::data
