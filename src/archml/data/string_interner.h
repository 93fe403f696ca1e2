// Gives each distinct string a dense code in order of first appearance. One interner
// serves one chunk of one column while threads parse in parallel, so it is built for
// many short values (account IDs): a flat open-addressing table of 8-byte slots and a
// cheap word-at-a-time hash, with the strings packed in a Dictionary.
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

class StringInterner {
 public:
  StringInterner() = default;

  // Code of `value`, adding it if new.
  std::uint32_t intern(std::string_view value) { return intern(value, hash_string(value)); }
  std::uint32_t intern(std::string_view value, std::uint64_t hash);
  // Code of `value`, or Column::kMissingCode when absent.
  std::uint32_t find(std::string_view value) const;

  std::uint32_t size() const { return values_.size(); }
  std::string_view at(std::uint32_t code) const { return values_.at(code); }
  std::uint64_t hash(std::uint32_t code) const { return hashes_[code]; }
  const Dictionary& values() const { return values_; }

  // Frees the hash table once no more values will come; codes and values stay.
  void drop_index() { std::vector<std::uint64_t>().swap(slots_); }
  // Hands the values over (in code order), leaving the interner empty.
  Dictionary take_values();
  // Prepares for about `values` distinct values of `bytes` total length.
  void reserve(std::size_t values, std::size_t bytes);

 private:
  void grow();
  void rehash(std::size_t capacity);

  Dictionary values_;
  std::vector<std::uint64_t> hashes_;  // per code: rehashing and merging skip rehashing
  // 0 = empty; else the hash's high 32 bits above (code + 1), so most mismatches are
  // rejected without touching the string bytes.
  std::vector<std::uint64_t> slots_;
  std::size_t mask_ = 0;
};

}  // namespace archml::data
