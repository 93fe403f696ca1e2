#include "archml/core/gzip_file.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "archml/core/error.h"

namespace archml::core {
namespace {

// gzip stores the uncompressed size modulo 2^32 in its last four bytes: a good guess
// for the buffer, never trusted for correctness.
std::size_t size_hint(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file || std::fseek(file.get(), -4, SEEK_END) != 0) return 0;
  unsigned char trailer[4];
  if (std::fread(trailer, 1, 4, file.get()) != 4) return 0;
  return static_cast<std::size_t>(trailer[0]) | static_cast<std::size_t>(trailer[1]) << 8 |
         static_cast<std::size_t>(trailer[2]) << 16 | static_cast<std::size_t>(trailer[3]) << 24;
}

}  // namespace

std::string read_gzip_file(const std::string& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) {
    if (errno == ENOENT) throw_not_found("file '" + path + "' does not exist; check the path");
    throw_io("cannot open '" + path + "': " + std::strerror(errno));
  }
  gzbuffer(file, 1 << 20);
  std::string content;
  // One spare byte past the hint lets a read return 0 and end the loop without growing.
  content.resize(std::max<std::size_t>(size_hint(path) + 1, 1u << 16));
  std::size_t filled = 0;
  for (;;) {
    if (filled == content.size()) content.resize(content.size() * 2);
    unsigned want = static_cast<unsigned>(std::min<std::size_t>(content.size() - filled, 1u << 30));
    int got = gzread(file, content.data() + filled, want);
    if (got < 0) {
      int code = 0;
      std::string reason = gzerror(file, &code);
      gzclose(file);
      throw_invalid("cannot decompress '" + path + "': " + reason +
                    "; is it a complete gzip file?");
    }
    if (got == 0) break;
    filled += static_cast<std::size_t>(got);
  }
  gzclose(file);
  content.resize(filled);
  if (content.capacity() > filled + filled / 4) content.shrink_to_fit();
  return content;
}

}  // namespace archml::core
