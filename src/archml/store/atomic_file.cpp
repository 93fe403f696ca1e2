#include "archml/store/atomic_file.h"

#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "archml/core/error.h"

namespace archml::store {
namespace fs = std::filesystem;
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

// Unique among the threads and processes writing the same directory.
std::string temporary_suffix() {
  static std::atomic<unsigned> counter{0};
  return std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
}

}  // namespace

AtomicFile::AtomicFile(fs::path destination) : destination_(std::move(destination)) {
  std::error_code error;
  if (destination_.has_parent_path()) fs::create_directories(destination_.parent_path(), error);
  if (error)
    throw_io("cannot create the folder '" + destination_.parent_path().string() +
             "': " + error.message());
  temporary_ = destination_;
  temporary_ += std::string(kTemporaryMarker) + temporary_suffix();
  file_ = std::fopen(temporary_.c_str(), "wb");
  if (file_ == nullptr)
    throw_io("cannot write '" + destination_.string() + "': " + errno_text() +
             " (check the folder's permissions and free space)");
}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::error_code ignored;
    fs::remove(temporary_, ignored);
  }
}

void AtomicFile::write(std::string_view bytes) {
  if (bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    throw_io("cannot write '" + destination_.string() + "': " + errno_text() +
             " (is the disk full?)");
}

void AtomicFile::write_at(std::uint64_t offset, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t written =
        ::pwrite(::fileno(file_), bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (written < 0) {
      if (errno == EINTR) continue;
      throw_io("cannot write '" + destination_.string() + "': " + errno_text() +
               " (is the disk full?)");
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
    offset += static_cast<std::uint64_t>(written);
  }
}

void AtomicFile::truncate() {
  if (std::fflush(file_) != 0 || ::ftruncate(::fileno(file_), 0) != 0 ||
      std::fseek(file_, 0, SEEK_SET) != 0)
    throw_io("cannot rewind '" + temporary_.string() + "': " + errno_text());
}

void AtomicFile::commit(bool durable) {
  bool flushed = std::fflush(file_) == 0 && (!durable || ::fsync(::fileno(file_)) == 0);
  int close_status = std::fclose(file_);
  file_ = nullptr;
  std::error_code error;
  if (!flushed || close_status != 0) {
    std::string reason = errno_text();
    fs::remove(temporary_, error);
    throw_io("cannot finish writing '" + destination_.string() + "': " + reason);
  }
  fs::rename(temporary_, destination_, error);
  if (error) {
    std::error_code ignored;
    fs::remove(temporary_, ignored);
    throw_io("cannot move the finished file onto '" + destination_.string() +
             "': " + error.message());
  }
}

void copy_file_atomically(const fs::path& source, const fs::path& destination) {
  std::FILE* in = std::fopen(source.c_str(), "rb");
  if (in == nullptr) {
    if (errno == ENOENT) throw_not_found("no file '" + source.string() + "'");
    throw_io("cannot read '" + source.string() + "': " + errno_text());
  }
  struct Closer {
    std::FILE* file;
    ~Closer() { std::fclose(file); }
  } closer{in};
  AtomicFile out(destination);
  std::array<char, 1 << 16> block{};
  std::size_t count = 0;
  while ((count = std::fread(block.data(), 1, block.size(), in)) > 0)
    out.write(std::string_view(block.data(), count));
  if (std::ferror(in)) throw_io("read error in '" + source.string() + "'");
  out.commit();
}

}  // namespace archml::store
