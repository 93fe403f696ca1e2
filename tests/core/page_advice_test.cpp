#include "archml/core/page_advice.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdlib>
#include <cstring>
#include <memory>

#include <numeric>
#include <vector>

namespace archml::core {
namespace {

TEST(CorePageAdvice, ReleasingAPrefixLeavesTheRestIntact) {
  std::vector<double> values(1 << 20);
  std::iota(values.begin(), values.end(), 0.0);
  const std::size_t released = values.size() / 2;
  release_pages(values.data(), released * sizeof(double));
  // Only whole pages inside the range go: the first value past it is still there, and so
  // is every later one.
  for (std::size_t i = released; i < values.size(); ++i)
    ASSERT_EQ(values[i], static_cast<double>(i)) << "value " << i;
  // Released memory stays usable and can be freed as usual.
  values[0] = 42;
  EXPECT_EQ(values[0], 42);
}

TEST(CorePageAdvice, ARangeSmallerThanAPageChangesNothing) {
  std::vector<double> values(64, 7.0);
  release_pages(values.data(), values.size() * sizeof(double));
  for (double value : values) EXPECT_EQ(value, 7.0);
  release_pages(values.data(), 0);
}

long minor_page_faults() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

// Allocates, fills and frees a block as a boosting round does with its buffers.
void fill_and_free(std::size_t bytes) {
  std::unique_ptr<char[]> block(new char[bytes]);
  std::memset(block.get(), 1, bytes);
  volatile char last = block[bytes - 1];
  (void)last;
}

// In a child process (the setting is process-wide): after the first round, three more
// rounds of a 64 MB block cost almost no page faults (each would cost 16,384 when the
// block is mapped and unmapped every time).
TEST(CorePageAdvice, FreedLargeBlocksAreReusedWithoutNewPageFaults) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "SKIP: AddressSanitizer's allocator replaces glibc malloc and ignores mallopt";
#endif
  EXPECT_EXIT(
      {
        reuse_freed_heap_memory();
        constexpr std::size_t kBytes = std::size_t{64} << 20;
        fill_and_free(kBytes);
        const long before = minor_page_faults();
        for (int round = 0; round < 3; ++round) fill_and_free(kBytes);
        std::exit(minor_page_faults() - before < 2000 ? 0 : 1);
      },
      testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace archml::core
