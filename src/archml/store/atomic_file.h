// Files that appear whole or not at all: bytes are written to a hidden temporary file in
// the destination's directory and renamed over it when complete (rename is atomic within
// a file system). Used for store objects and for downloads to local paths.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string_view>

namespace archml::store {

// Temporary files carry this marker so listings can skip them.
inline constexpr std::string_view kTemporaryMarker = ".archml-partial-";

class AtomicFile {
 public:
  // Creates parent directories and opens the temporary file; throws kIo.
  explicit AtomicFile(std::filesystem::path destination);
  // Removes the temporary file unless commit() succeeded.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view bytes);
  // Writes at an absolute offset; safe from several threads at once (pwrite). Do not mix
  // with write() on the same file.
  void write_at(std::uint64_t offset, std::string_view bytes);
  // Drops what was written so far (a retried download starts again).
  void truncate();
  // Flushes, closes and renames onto the destination. `durable` also waits for the bytes
  // to reach the disk: needed for the only copy of an object, not for a download that
  // can be fetched again.
  void commit(bool durable = true);

 private:
  std::filesystem::path destination_;
  std::filesystem::path temporary_;
  std::FILE* file_ = nullptr;
};

// Copies the bytes of `source` to `destination` through an AtomicFile.
void copy_file_atomically(const std::filesystem::path& source,
                          const std::filesystem::path& destination);

}  // namespace archml::store
