// Files that appear whole or not at all: bytes are written to a temporary file in the
// destination's directory and renamed over it when complete (rename is atomic within a
// file system), so a failure (a full disk, a crash, an exception) leaves the old file or
// none, never a partial or 0-byte one. Every output archml writes goes through here: text
// artifacts (core/text_file), CSV tables and predictions, generated data, store objects
// and downloads.
// A destination that exists and is not a regular file (/dev/null, /dev/full, a FIFO) is
// written in place: there is nothing to rename over it. A symbolic link stays one: the
// file it names is replaced.
// Failures are archml::Error kIo naming the destination and the reason; a full disk says
// "no space left on device".
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace archml::core {

// Temporary files carry this marker so listings can skip them.
inline constexpr std::string_view kTemporaryMarker = ".archml-partial-";

// A path beside `destination` that no other thread or process uses: `destination` plus
// kTemporaryMarker and a suffix unique to this process and call.
std::filesystem::path temporary_path_beside(const std::filesystem::path& destination);

// Whether a missing parent directory is created or is an error.
enum class ParentFolders { kMustExist, kCreate };

class AtomicFile {
 public:
  // Opens the temporary file; throws kIo.
  explicit AtomicFile(std::filesystem::path destination,
                      ParentFolders parents = ParentFolders::kMustExist);
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
  // A buffered stream over write(), for code that writes to a std::ostream. A failed
  // write throws the archml::Error out of the stream operation (badbit is in its
  // exceptions mask). Do not mix with write_at().
  std::ostream& stream();
  // Flushes, closes and renames onto the destination. `durable` also waits for the bytes
  // to reach the disk: needed for the only copy of an object, not for an output that can
  // be made again.
  void commit(bool durable = true);

  const std::filesystem::path& destination() const { return destination_; }

 private:
  class Buffer;

  std::filesystem::path destination_;
  std::filesystem::path target_;     // renamed onto at commit; empty when written in place
  std::filesystem::path temporary_;  // empty when written in place
  std::FILE* file_ = nullptr;
  std::unique_ptr<Buffer> buffer_;
  std::unique_ptr<std::ostream> stream_;
};

// Copies the bytes of `source` to `destination` through an AtomicFile.
void copy_file_atomically(const std::filesystem::path& source,
                          const std::filesystem::path& destination,
                          ParentFolders parents = ParentFolders::kMustExist);

// "cannot write 'PATH': no space left on device; free some space or write elsewhere", and
// the like for the other errno values of a failed open, write or close.
std::string write_failure(const std::filesystem::path& path, int error_number);

}  // namespace archml::core
