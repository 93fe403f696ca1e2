#include "archml/data/dictionary_merge.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "archml/core/parallel.h"

namespace archml::data {
namespace {

// Below this many values in all parts, one hash table fits in cache and a plain
// sequential merge is fastest.
constexpr std::size_t kSequentialLimit = 1 << 16;
// Values per partition: small enough that a partition's table stays in a core's cache.
constexpr std::size_t kValuesPerPartition = 1 << 14;

MergedDictionary merge_sequential(const std::vector<StringInterner*>& parts) {
  MergedDictionary merged;
  merged.remaps.resize(parts.size());
  StringInterner global;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    StringInterner& part = *parts[i];
    std::vector<std::uint32_t>& remap = merged.remaps[i];
    remap.resize(part.size());
    for (std::uint32_t code = 0; code < part.size(); ++code)
      remap[code] = global.intern(part.at(code), part.hash(code));
    part.take_values();
  }
  merged.dictionary = global.take_values();
  return merged;
}

// A value with its hash, inlined when short (IDs, categories): 32 bytes.
struct Record {
  std::uint64_t hash;
  std::uint32_t code;
  std::uint32_t size;
  char bytes[16];
};

struct FirstSeen {
  std::uint32_t part;
  std::uint32_t code;
};

}  // namespace

// Hash-partitioned merge: values are grouped by the top bits of their hash, and each
// group is deduplicated on its own (in parallel, with a table that stays in cache).
// Codes follow first appearance: a value first seen as code l of part i ranks by (i, l).
MergedDictionary merge_dictionaries(const std::vector<StringInterner*>& parts, unsigned threads) {
  std::size_t total = 0;
  for (const StringInterner* part : parts) total += part->size();
  if (total <= kSequentialLimit || parts.size() == 1) return merge_sequential(parts);

  const std::size_t partition_count =
      std::min<std::size_t>(std::bit_ceil(total / kValuesPerPartition + 1), 4096);
  const int shift = 64 - std::countr_zero(partition_count);
  auto partition_of = [&](std::uint64_t hash) {
    return static_cast<std::size_t>(shift == 64 ? 0 : hash >> shift);
  };

  // Each part's values copied into records grouped by partition (a counting sort keeps
  // codes ascending), so deduplicating a partition reads memory in order.
  const std::size_t part_count = parts.size();
  std::vector<std::vector<Record>> grouped(part_count);
  std::vector<std::vector<std::uint32_t>> group_begin(part_count);
  core::parallel_for(
      part_count,
      [&](std::size_t i) {
        const StringInterner& part = *parts[i];
        std::vector<std::uint32_t>& begin = group_begin[i];
        begin.assign(partition_count + 1, 0);
        for (std::uint32_t code = 0; code < part.size(); ++code)
          ++begin[partition_of(part.hash(code)) + 1];
        for (std::size_t p = 0; p < partition_count; ++p) begin[p + 1] += begin[p];
        std::vector<std::uint32_t> next(begin.begin(), begin.end() - 1);
        grouped[i].resize(part.size());
        for (std::uint32_t code = 0; code < part.size(); ++code) {
          const std::uint64_t hash = part.hash(code);
          Record& record = grouped[i][next[partition_of(hash)]++];
          const std::string_view value = part.at(code);
          record.hash = hash;
          record.code = code;
          record.size = static_cast<std::uint32_t>(value.size());
          if (value.size() <= sizeof record.bytes)
            std::memcpy(record.bytes, value.data(), value.size());
        }
      },
      threads);

  // remaps[i][l] first holds the index of the value within its partition; firsts mark
  // the codes where a value appears for the first time.
  MergedDictionary merged;
  merged.remaps.resize(part_count);
  std::vector<std::vector<std::uint8_t>> first(part_count);
  for (std::size_t i = 0; i < part_count; ++i) {
    merged.remaps[i].resize(parts[i]->size());
    first[i].assign(parts[i]->size(), 0);
  }
  // found[i][k]: the partition entry of grouped[i][k], with kFirst set where the value
  // is new; written in record order so the partition pass never leaves its cache lines.
  constexpr std::uint32_t kFirst = 0x80000000u;
  std::vector<std::vector<std::uint32_t>> found(part_count);
  for (std::size_t i = 0; i < part_count; ++i) found[i].resize(grouped[i].size());
  std::vector<std::vector<FirstSeen>> distinct(partition_count);
  core::parallel_for(
      partition_count,
      [&](std::size_t p) {
        std::size_t values = 0;
        for (std::size_t i = 0; i < part_count; ++i)
          values += group_begin[i][p + 1] - group_begin[i][p];
        if (values == 0) return;
        std::vector<std::uint32_t> slots(std::bit_ceil(values * 2), 0);
        const std::size_t mask = slots.size() - 1;
        std::vector<FirstSeen>& seen = distinct[p];
        std::vector<const Record*> seen_records;
        seen_records.reserve(values);
        for (std::size_t i = 0; i < part_count; ++i) {
          const StringInterner& part = *parts[i];
          for (std::uint32_t k = group_begin[i][p]; k < group_begin[i][p + 1]; ++k) {
            const Record& record = grouped[i][k];
            std::size_t index = static_cast<std::size_t>(record.hash) & mask;
            for (;;) {
              const std::uint32_t slot = slots[index];
              if (slot == 0) {
                const auto entry = static_cast<std::uint32_t>(seen.size());
                seen.push_back(FirstSeen{static_cast<std::uint32_t>(i), record.code});
                seen_records.push_back(&record);
                slots[index] = entry + 1;
                found[i][k] = entry | kFirst;
                break;
              }
              const Record& other = *seen_records[slot - 1];
              if (other.hash == record.hash && other.size == record.size &&
                  (record.size <= sizeof record.bytes
                       ? std::memcmp(other.bytes, record.bytes, record.size) == 0
                       : parts[seen[slot - 1].part]->at(other.code) == part.at(record.code))) {
                found[i][k] = slot - 1;
                break;
              }
              index = (index + 1) & mask;
            }
          }
        }
      },
      threads);
  core::parallel_for(
      part_count,
      [&](std::size_t i) {
        for (std::size_t k = 0; k < grouped[i].size(); ++k) {
          const std::uint32_t code = grouped[i][k].code;
          merged.remaps[i][code] = found[i][k] & ~kFirst;
          first[i][code] = (found[i][k] & kFirst) != 0;
        }
        std::vector<Record>().swap(grouped[i]);
        std::vector<std::uint32_t>().swap(found[i]);
      },
      threads);
  std::vector<std::vector<std::uint32_t>>().swap(group_begin);

  // Global codes: the firsts of part 0 in order, then those of part 1, ...
  std::vector<std::uint32_t> base(part_count + 1, 0);
  core::parallel_for(
      part_count,
      [&](std::size_t i) {
        base[i + 1] = static_cast<std::uint32_t>(std::count(first[i].begin(), first[i].end(), 1));
      },
      threads);
  for (std::size_t i = 0; i < part_count; ++i) base[i + 1] += base[i];
  core::parallel_for(
      part_count,
      [&](std::size_t i) {
        std::uint32_t next = base[i];
        for (std::size_t code = 0; code < first[i].size(); ++code)
          if (first[i][code]) merged.remaps[i][code] = next++;
      },
      threads);
  core::parallel_for(
      part_count,
      [&](std::size_t i) {
        const StringInterner& part = *parts[i];
        for (std::uint32_t code = 0; code < part.size(); ++code) {
          if (first[i][code]) continue;
          const FirstSeen& where = distinct[partition_of(part.hash(code))][merged.remaps[i][code]];
          merged.remaps[i][code] = merged.remaps[where.part][where.code];
        }
      },
      threads);
  std::vector<std::vector<FirstSeen>>().swap(distinct);

  std::size_t bytes = 0;
  for (std::size_t i = 0; i < part_count; ++i)
    for (std::uint32_t code = 0; code < parts[i]->size(); ++code)
      if (first[i][code]) bytes += parts[i]->at(code).size();
  merged.dictionary.reserve(base[part_count], bytes);
  for (std::size_t i = 0; i < part_count; ++i) {
    const StringInterner& part = *parts[i];
    for (std::uint32_t code = 0; code < part.size(); ++code)
      if (first[i][code]) merged.dictionary.append(part.at(code));
    parts[i]->take_values();
    std::vector<std::uint8_t>().swap(first[i]);
  }
  return merged;
}

}  // namespace archml::data
