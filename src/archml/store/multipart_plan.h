// How a large upload is cut into S3 multipart parts. S3 allows at most 10,000 parts of at
// least 5 MiB each (the last may be smaller), so the planned part size grows when the
// object is too large for the configured one.
#pragma once

#include <cstdint>
#include <vector>

namespace archml::store {

inline constexpr std::uint64_t kMinPartBytes = 5ull << 20;
inline constexpr std::uint64_t kMaxParts = 10000;

struct Part {
  int number = 0;  // 1-based, as S3 numbers them
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

// Parts covering [0, size) in order; `part_size` below 5 MiB is raised to 5 MiB. An empty
// object has no parts (it is never uploaded in parts).
std::vector<Part> plan_parts(std::uint64_t size, std::uint64_t part_size);

// Whether an object of `size` bytes goes up in parts: at or above the threshold, and
// always when a single PUT could not carry it (S3 caps one PUT at 5 GiB).
bool use_multipart(std::uint64_t size, std::uint64_t threshold);

}  // namespace archml::store
