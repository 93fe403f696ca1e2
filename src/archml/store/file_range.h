// Reads a byte range of a local file: a ranged get from a LocalStore, one part of a
// multipart upload. kNotFound for a missing file, kIo when fewer bytes than asked exist
// (the file shrank while being read).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace archml::store {

std::string read_file_range(const std::filesystem::path& path, std::uint64_t offset,
                            std::uint64_t length);

}  // namespace archml::store
