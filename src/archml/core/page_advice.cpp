#include "archml/core/page_advice.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <utility>

namespace archml::core {
namespace {

// The whole pages inside [data, data + bytes): [first, last), empty when none.
std::pair<std::uintptr_t, std::uintptr_t> whole_pages(const void* data, std::size_t bytes) {
  static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t first = (begin + page - 1) & ~(page - 1);
  const std::uintptr_t last = (begin + bytes) & ~(page - 1);
  return {first, last > first ? last : first};
}

}  // namespace

void advise_huge_pages(const void* data, std::size_t bytes) {
  constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t first = (begin + kHugePage - 1) & ~(kHugePage - 1);
  const std::uintptr_t last = (begin + bytes) & ~(kHugePage - 1);
  if (last <= first) return;
#ifdef MADV_HUGEPAGE
  ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#endif
}

void prefault_pages(void* data, std::size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  const auto [first, last] = whole_pages(data, bytes);
  if (last == first) return;
  ::madvise(reinterpret_cast<void*>(first), last - first, MADV_POPULATE_WRITE);
#else
  (void)data;
  (void)bytes;
#endif
}

void release_pages(void* data, std::size_t bytes) {
  const auto [first, last] = whole_pages(data, bytes);
  if (last == first) return;
  ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

void reuse_freed_heap_memory() {
#if defined(__GLIBC__)
  constexpr int kLargest = 1 << 30;
  // Above the threshold blocks are mapped on their own and unmapped when freed; below it
  // they come from the heap, whose free top is returned only beyond the trim threshold.
  ::mallopt(M_MMAP_THRESHOLD, kLargest);
  ::mallopt(M_TRIM_THRESHOLD, kLargest);
#endif
}

}  // namespace archml::core
