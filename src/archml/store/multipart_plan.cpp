#include "archml/store/multipart_plan.h"

#include <algorithm>

namespace archml::store {
namespace {

constexpr std::uint64_t kMaxSinglePutBytes = 5ull << 30;

}  // namespace

std::vector<Part> plan_parts(std::uint64_t size, std::uint64_t part_size) {
  part_size = std::max(part_size, kMinPartBytes);
  // Round the grown size up to a whole MiB so part boundaries stay readable in logs.
  if ((size + part_size - 1) / part_size > kMaxParts) {
    part_size = (size + kMaxParts - 1) / kMaxParts;
    part_size = (part_size + (1ull << 20) - 1) / (1ull << 20) * (1ull << 20);
  }
  std::vector<Part> parts;
  for (std::uint64_t offset = 0; offset < size; offset += part_size)
    parts.push_back(
        Part{static_cast<int>(parts.size()) + 1, offset, std::min(part_size, size - offset)});
  return parts;
}

bool use_multipart(std::uint64_t size, std::uint64_t threshold) {
  return size > 0 && (size >= threshold || size > kMaxSinglePutBytes);
}

}  // namespace archml::store
