// Hints to the kernel about how a big buffer's pages will be used. Only hints: where
// a feature is unavailable nothing changes, and contents are never affected, except by
// release_pages, which is for memory that will never be read again.
#pragma once

#include <cstddef>

namespace archml::core {

// Asks for 2 MB pages behind the 2 MB-aligned part of [data, data + bytes): a hash
// table of millions of slots otherwise costs a TLB miss on nearly every access. Call
// before first touching the memory.
void advise_huge_pages(const void* data, std::size_t bytes);

// Maps the pages of [data, data + bytes) now, in one call, instead of one page fault
// per 4 KB as a big vector is filled. The memory becomes resident: use it for ranges
// that will be written soon.
void prefault_pages(void* data, std::size_t bytes);

// Hands the whole pages inside [data, data + bytes) back to the kernel now, so a big
// buffer consumed front to back stops counting against the process before it is freed.
// Their contents become unspecified (zero, in practice): call it only on bytes that will
// never be read again; freeing the buffer later stays valid.
void release_pages(void* data, std::size_t bytes);

}  // namespace archml::core

namespace archml::core {

// Makes malloc keep freed blocks of up to 1 GB in the heap for reuse instead of handing
// them back to the kernel (glibc's mmap and trim thresholds; elsewhere nothing changes).
// A loop that allocates and frees the same large buffers over and over, as XGBoost does
// every boosting round (gradient pairs, row partitions: tens of MB each at millions of
// rows), then pays its page faults once instead of once per 4 KB per round. For
// processes whose peak is set by such buffers (training, tuning): freed memory stays
// counted against the process until reused. Affects the whole process: call it once,
// from a command's entry point.
void reuse_freed_heap_memory();

}  // namespace archml::core
