// Fingerprints of data files, so that a model records which bytes it was trained on and a
// split can be recomputed only on the same file. XXH64 (seed 0): a published,
// well-tested 64-bit hash that reads memory at several GB/s, so hashing a 470 MB CSV
// costs a fraction of parsing it. Not cryptographic: it detects changed files, not forgery.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace archml::core {

std::uint64_t xxh64(std::string_view bytes, std::uint64_t seed = 0);

// "xxh64:" and 16 lower-case hex digits of the file's bytes (as stored: a .gz file is
// hashed compressed). Throws archml::Error (not found, I/O).
std::string file_content_hash(const std::string& path);

}  // namespace archml::core
