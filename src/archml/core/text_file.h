// Whole-file reads and writes of the small text artifacts jobs exchange (JSON, YAML,
// HTML, CSV summaries). Failures throw archml::Error naming the file and what to check.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace archml::core {

// `what` names the file in messages ("recipe file", "bundle metadata"); a missing file
// is kNotFound, an unreadable one kIo.
std::string read_text_file(const std::filesystem::path& path, std::string_view what = "file");
// Creates or replaces the file whole (core/atomic_file.h): a failed write leaves the old
// file or none. The folder must exist.
void write_text_file(const std::filesystem::path& path, std::string_view text);

}  // namespace archml::core
