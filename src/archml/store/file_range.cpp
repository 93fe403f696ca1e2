#include "archml/store/file_range.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "archml/core/error.h"

namespace archml::store {

std::string read_file_range(const std::filesystem::path& path, std::uint64_t offset,
                            std::uint64_t length) {
  std::FILE* in = std::fopen(path.c_str(), "rb");
  if (in == nullptr) {
    if (errno == ENOENT) throw_not_found("no file '" + path.string() + "'");
    throw_io("cannot read '" + path.string() + "': " + std::strerror(errno));
  }
  std::string bytes(length, '\0');
  bool ok = ::fseeko(in, static_cast<off_t>(offset), SEEK_SET) == 0 &&
            std::fread(bytes.data(), 1, length, in) == length;
  std::fclose(in);
  if (!ok)
    throw_io("cannot read bytes " + std::to_string(offset) + " to " +
             std::to_string(offset + length) + " of '" + path.string() +
             "' (did it change while being read?)");
  return bytes;
}

}  // namespace archml::store
