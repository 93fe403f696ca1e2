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

// Hash of short strings, loading 8 bytes at a time; good enough spread for a power-of-two
// table and much cheaper than std::hash on IDs of 10-20 bytes.
inline std::uint64_t hash_string(std::string_view value) {
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
  if (n >= 4) {
    std::uint32_t low, high;
    std::memcpy(&low, p, 4);
    std::memcpy(&high, p + n - 4, 4);
    h = (h ^ (static_cast<std::uint64_t>(high) << 32 | low)) * kMul;
  } else if (n > 0) {
    std::uint64_t tail = static_cast<unsigned char>(p[0]) |
                         static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
                         static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
    h = (h ^ tail) * kMul;
  }
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  return h;
}

// Equality of two strings, inlined for short ones: a memcmp call per hash-table hit
// costs more than the compare itself when values are IDs of 8-16 bytes.
inline bool same_text(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  if (n >= 8 && n <= 16) {
    std::uint64_t a_head, b_head, a_tail, b_tail;
    std::memcpy(&a_head, a.data(), 8);
    std::memcpy(&b_head, b.data(), 8);
    std::memcpy(&a_tail, a.data() + n - 8, 8);
    std::memcpy(&b_tail, b.data() + n - 8, 8);
    return ((a_head ^ b_head) | (a_tail ^ b_tail)) == 0;
  }
  return n == 0 || std::memcmp(a.data(), b.data(), n) == 0;
}

class StringInterner {
 public:
  // An interner that will hold millions of values (the reader's one per column) can
  // skip storing each value's hash: 8 bytes a value, recomputed when the table grows.
  explicit StringInterner(bool keep_hashes = true) : keep_hashes_(keep_hashes) {}

  // Code of `value`, adding it if new.
  std::uint32_t intern(std::string_view value) { return intern(value, hash_string(value)); }
  std::uint32_t intern(std::string_view value, std::uint64_t hash) {
    if (values_.size() + std::size_t{1} > max_values_) grow(values_.size() + std::size_t{1});
    return insert(value, hash);
  }
  // Appends `value` under a new code without looking for it: for a part holding
  // nearly distinct values, deduplicated later by intern_all. Do not mix with intern().
  std::uint32_t append_unchecked(std::string_view value) {
    hashes_.push_back(hash_string(value));
    return values_.append(value);
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
  std::uint32_t insert(std::string_view value, std::uint64_t hash);
  void grow(std::size_t values);
  void rehash(std::size_t capacity);

  bool keep_hashes_ = true;
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
