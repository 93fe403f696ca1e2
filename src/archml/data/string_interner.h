// Gives each distinct string a dense code in order of first appearance. The CSV reader
// keeps one per chunk of a string column (small, in cache) and one per column for the
// whole table (millions of values), so it is built for many short values (account IDs):
// a flat open-addressing table of 4-byte slots and a cheap word-at-a-time hash, with the
// strings packed in a Dictionary.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "archml/data/table.h"

namespace archml::data {

inline std::uint64_t finish_hash(std::uint64_t h) {
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  return h;
}

// Hash of a value of at most 15 bytes, from its two words: no branch on the length.
inline std::uint64_t hash_short(const ShortKey& key) {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
  std::uint64_t h = key.low * kMul;
  h ^= h >> 32;
  return finish_hash((h ^ key.high) * kMul);
}

// Hash of any string, equal to hash_short for short ones. Longer ones load 8 bytes at a
// time: good enough spread for the table and much cheaper than std::hash.
inline std::uint64_t hash_string(std::string_view value) {
  if (value.size() <= ShortKey::kMaxLength) return hash_short(short_key(value));
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
  const char* p = value.data();
  std::size_t n = value.size();
  std::uint64_t h = n * kMul;
  while (n >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    h = (h ^ word) * kMul;
    h ^= h >> 32;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t word;  // the last 8 bytes, overlapping the ones already mixed in
    std::memcpy(&word, value.data() + value.size() - 8, 8);
    h = (h ^ word) * kMul;
  }
  return finish_hash(h);
}

class StringInterner {
 public:
  // An interner that will hold millions of values (the reader's one per column) can
  // skip storing each value's hash: 8 bytes a value, recomputed when the table grows.
  explicit StringInterner(bool keep_hashes = true) : keep_hashes_(keep_hashes) {}

  // Code of `value`, adding it if new.
  std::uint32_t intern(std::string_view value) {
    if (value.size() <= ShortKey::kMaxLength) return intern(short_key(value));
    return intern(value, hash_string(value));
  }
  std::uint32_t intern(const ShortKey& key) { return intern(key, hash_short(key)); }
  template <typename Value>
  std::uint32_t intern(const Value& value, std::uint64_t hash) {
    if (values_.size() + std::size_t{1} > max_values_) grow(values_.size() + std::size_t{1});
    return insert(value, hash);
  }
  // Appends `value` under a new code without looking for it: for a part holding
  // nearly distinct values, deduplicated later by intern_all. Do not mix with intern().
  std::uint32_t append_unchecked(std::string_view value) {
    if (value.size() <= ShortKey::kMaxLength) return append_unchecked(short_key(value));
    appended_unchecked_ = true;
    hashes_.push_back(hash_string(value));
    return values_.append(value);
  }
  std::uint32_t append_unchecked(const ShortKey& key) {
    appended_unchecked_ = true;
    hashes_.push_back(hash_short(key));
    return values_.append(key);
  }
  // Interns every value of `part` in its code order; remap[local code] = code here.
  // Prefetches slots ahead: a big table misses the cache on nearly every probe.
  // `part` must keep its hashes.
  void intern_all(const StringInterner& part, std::vector<std::uint32_t>& remap);
  // Code of `value`, or Column::kMissingCode when absent.
  std::uint32_t find(std::string_view value) const;

  std::uint32_t size() const { return values_.size(); }
  std::string_view at(std::uint32_t code) const { return values_.at(code); }
  std::uint64_t hash(std::uint32_t code) const { return hashes_[code]; }
  const Dictionary& values() const { return values_; }

  // Frees the hash table once no more values will come; codes and values stay.
  void drop_index() {
    std::vector<std::uint32_t>().swap(slots_);
    max_values_ = 0;
  }
  // Forgets every value but keeps the memory, for reuse on the next chunk.
  void clear();
  // Hands the values over (in code order), leaving the interner empty.
  Dictionary take_values();
  // Prepares for about `values` distinct values of `bytes` total length.
  void reserve(std::size_t values, std::size_t bytes);

 private:
  std::size_t slot_of(std::uint64_t hash) const {
    // Low 32 bits pick the slot (any table size, no power of two); the tag comes from
    // the high 32.
    return static_cast<std::size_t>((hash & 0xFFFFFFFFull) * slots_.size() >> 32);
  }
  std::uint32_t tag_of(std::uint64_t hash) const {
    return static_cast<std::uint32_t>(hash >> 32) & ~code_mask_;
  }
  // Whether an occupied `slot` may hold the value of `tag` (then compare the strings).
  bool tag_matches(std::uint32_t slot, std::uint32_t tag) const {
    return (slot & ~code_mask_) == tag;
  }
  // The code stored in an occupied slot.
  std::uint32_t code_in(std::uint32_t slot) const { return (slot & code_mask_) - 1; }
  // `Value` is a std::string_view or, for a short value, its ShortKey.
  template <typename Value>
  std::uint32_t insert(const Value& value, std::uint64_t hash);
  bool holds(std::uint32_t code, std::string_view value) const { return values_.at(code) == value; }
  bool holds(std::uint32_t code, const ShortKey& key) const { return values_.holds(code, key); }
  std::uint64_t hash_of(std::uint32_t code) const;
  void grow(std::size_t values);
  void rehash(std::size_t capacity);

  bool keep_hashes_ = true;
  bool appended_unchecked_ = false;  // since the last clear(): the table is untouched
  Dictionary values_;
  std::vector<std::uint64_t> hashes_;  // per code, when kept: rehashing and merging skip hashing
  // 0 = empty; else (code + 1) in the bits of code_mask_ and, above them, as many bits
  // of the hash's high half, a tag that rejects most mismatches without touching the
  // string bytes. 4 bytes a slot: millions of IDs need tens of megabytes less, each
  // one a page the kernel must zero.
  std::vector<std::uint32_t> slots_;
  std::uint32_t code_mask_ = 0;
  std::size_t max_values_ = 0;  // values the table holds before it must grow
};

}  // namespace archml::data
