// Whole-file gzip decompression into memory, for readers that need random access
// to the text (the CSV reader splits it into chunks for several threads).
#pragma once

#include <string>

namespace archml::core {

// Returns the decompressed content of a gzip file (concatenated members are joined).
// Throws archml::Error: not found for a missing file, invalid input for corrupt data.
std::string read_gzip_file(const std::string& path);

}  // namespace archml::core
