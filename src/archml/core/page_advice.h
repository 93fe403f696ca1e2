// Hints to the kernel about how a big buffer's pages will be used. Only hints: where
// a feature is unavailable nothing changes, and contents are never affected.
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

}  // namespace archml::core
