#include "archml/eval/sortable_keys.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>

namespace archml::eval {

namespace {

constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;
constexpr int kDigitBits = 8;
constexpr int kDigits = 64 / kDigitBits;
constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;
// Below this a comparison sort wins over eight histogram passes.
constexpr std::size_t kRadixThreshold = 512;

}  // namespace

std::uint64_t ordered_key(double value) {
  if (value == 0.0) value = 0.0;  // folds -0.0 into +0.0
  const auto bits = std::bit_cast<std::uint64_t>(value);
  // Negative doubles order backwards by magnitude, so flip all their bits; positive ones
  // only need to move above the negatives.
  return (bits & kSignBit) ? ~bits : bits | kSignBit;
}

double from_ordered_key(std::uint64_t key) {
  const std::uint64_t bits = (key & kSignBit) ? key & ~kSignBit : ~key;
  return std::bit_cast<double>(bits);
}

void radix_sort(std::vector<std::uint64_t>& keys) {
  const std::size_t n = keys.size();
  if (n < kRadixThreshold) {
    std::sort(keys.begin(), keys.end());
    return;
  }
  std::vector<std::array<std::size_t, kBuckets>> counts(kDigits);
  for (auto& digit_counts : counts) digit_counts.fill(0);
  for (const std::uint64_t key : keys) {
    for (int digit = 0; digit < kDigits; ++digit) {
      ++counts[digit][(key >> (digit * kDigitBits)) & (kBuckets - 1)];
    }
  }
  std::vector<std::uint64_t> buffer(n);
  for (int digit = 0; digit < kDigits; ++digit) {
    auto& digit_counts = counts[digit];
    // Scores widened from float leave their low mantissa bytes zero: nothing to reorder.
    const bool one_bucket = std::any_of(digit_counts.begin(), digit_counts.end(),
                                        [n](std::size_t c) { return c == n; });
    if (one_bucket) continue;
    std::size_t offset = 0;
    for (auto& count : digit_counts) {
      const std::size_t bucket_size = count;
      count = offset;
      offset += bucket_size;
    }
    const int shift = digit * kDigitBits;
    for (const std::uint64_t key : keys)
      buffer[digit_counts[(key >> shift) & (kBuckets - 1)]++] = key;
    keys.swap(buffer);
  }
}

}  // namespace archml::eval
