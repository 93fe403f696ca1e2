#include "archml/core/atomic_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <streambuf>
#include <string>
#include <system_error>
#include <vector>

#include "archml/core/error.h"

namespace archml::core {
namespace fs = std::filesystem;

fs::path temporary_path_beside(const fs::path& destination) {
  static std::atomic<unsigned> counter{0};
  fs::path path = destination;
  path += std::string(kTemporaryMarker) + std::to_string(::getpid()) + "-" +
          std::to_string(counter.fetch_add(1));
  return path;
}

namespace {

// Unique among the threads and processes writing the same directory.
// What the destination is now: missing or a regular file (write beside it and rename), a
// folder (an error), or a device or FIFO (write in place).
enum class Existing { kNothingOrFile, kFolder, kSpecial };

Existing existing(const fs::path& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0 || S_ISREG(status.st_mode))
    return Existing::kNothingOrFile;
  return S_ISDIR(status.st_mode) ? Existing::kFolder : Existing::kSpecial;
}

// What the finished file is renamed onto: the destination, or the file a symbolic link
// there names (the link stays a link); empty for a link that leads nowhere, which is
// written through in place.
fs::path rename_target(const fs::path& destination) {
  std::error_code error;
  if (!fs::is_symlink(destination, error)) return destination;
  fs::path target = fs::canonical(destination, error);
  return error ? fs::path() : target;
}

void create_parents(const fs::path& destination) {
  if (!destination.has_parent_path()) return;
  std::error_code error;
  fs::create_directories(destination.parent_path(), error);
  if (error)
    throw_io("cannot create the folder '" + destination.parent_path().string() +
             "': " + error.message());
}

}  // namespace

std::string write_failure(const fs::path& path, int error_number) {
  std::string reason;
  switch (error_number) {
    case ENOSPC:
      reason = "no space left on device; free some space or write elsewhere";
      break;
    case EDQUOT:
      reason = "disk quota exceeded; free some space or write elsewhere";
      break;
    case EACCES:
    case EPERM:
      reason = "permission denied; check the directory is writable";
      break;
    case EROFS:
      reason = "read-only file system; write elsewhere";
      break;
    case ENOENT:
      reason = "the folder '" + path.parent_path().string() + "' does not exist";
      break;
    case ENOTDIR:
      reason = "a part of the path is not a folder";
      break;
    default:
      reason = std::strerror(error_number);
  }
  return "cannot write '" + path.string() + "': " + reason;
}

// The buffer behind stream(): 64 KiB at a time to AtomicFile::write, which throws.
class AtomicFile::Buffer : public std::streambuf {
 public:
  explicit Buffer(AtomicFile& file) : file_(file), bytes_(std::size_t{1} << 16) { reset(); }

  void drain() {
    std::string_view pending(pbase(), static_cast<std::size_t>(pptr() - pbase()));
    reset();
    file_.write(pending);
  }

 protected:
  int_type overflow(int_type c) override {
    drain();
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
    return c;
  }
  std::streamsize xsputn(const char* data, std::streamsize count) override {
    if (count < epptr() - pptr()) {
      std::memcpy(pptr(), data, static_cast<std::size_t>(count));
      pbump(static_cast<int>(count));
      return count;
    }
    drain();
    file_.write(std::string_view(data, static_cast<std::size_t>(count)));
    return count;
  }
  int sync() override {
    drain();
    return 0;
  }

 private:
  void reset() { setp(bytes_.data(), bytes_.data() + bytes_.size()); }

  AtomicFile& file_;
  std::vector<char> bytes_;
};

AtomicFile::AtomicFile(fs::path destination, ParentFolders parents)
    : destination_(std::move(destination)) {
  if (parents == ParentFolders::kCreate) create_parents(destination_);
  Existing now = existing(destination_);
  if (now == Existing::kFolder)
    throw_io("cannot write '" + destination_.string() + "': it is a folder; name a file");
  if (now == Existing::kNothingOrFile) target_ = rename_target(destination_);
  if (target_.empty()) {
    file_ = std::fopen(destination_.c_str(), "wb");
  } else {
    temporary_ = temporary_path_beside(target_);
    file_ = std::fopen(temporary_.c_str(), "wb");
  }
  if (file_ == nullptr) throw_io(write_failure(destination_, errno));
}

AtomicFile::~AtomicFile() {
  if (file_ == nullptr) return;
  std::fclose(file_);
  std::error_code ignored;
  if (!temporary_.empty()) fs::remove(temporary_, ignored);
}

void AtomicFile::write(std::string_view bytes) {
  if (bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    throw_io(write_failure(destination_, errno));
}

void AtomicFile::write_at(std::uint64_t offset, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t written =
        ::pwrite(::fileno(file_), bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (written < 0) {
      if (errno == EINTR) continue;
      throw_io(write_failure(destination_, errno));
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
    offset += static_cast<std::uint64_t>(written);
  }
}

void AtomicFile::truncate() {
  if (buffer_) buffer_->drain();
  if (std::fflush(file_) != 0 || ::ftruncate(::fileno(file_), 0) != 0 ||
      std::fseek(file_, 0, SEEK_SET) != 0)
    throw_io("cannot start writing '" + destination_.string() + "' again: " + std::strerror(errno));
}

std::ostream& AtomicFile::stream() {
  if (!stream_) {
    buffer_ = std::make_unique<Buffer>(*this);
    stream_ = std::make_unique<std::ostream>(buffer_.get());
    stream_->exceptions(std::ios::badbit);
  }
  return *stream_;
}

void AtomicFile::commit(bool durable) {
  if (buffer_) buffer_->drain();
  bool in_place = temporary_.empty();
  int failure = 0;
  if (std::fflush(file_) != 0 || (durable && !in_place && ::fsync(::fileno(file_)) != 0))
    failure = errno;
  if (std::fclose(file_) != 0 && failure == 0) failure = errno;
  file_ = nullptr;
  std::error_code error;
  if (failure != 0) {
    if (!in_place) fs::remove(temporary_, error);
    throw_io(write_failure(destination_, failure));
  }
  if (in_place) return;
  fs::rename(temporary_, target_, error);
  if (error) {
    std::error_code ignored;
    fs::remove(temporary_, ignored);
    throw_io("cannot move the finished file onto '" + destination_.string() +
             "': " + error.message());
  }
}

void copy_file_atomically(const fs::path& source, const fs::path& destination,
                          ParentFolders parents) {
  std::FILE* in = std::fopen(source.c_str(), "rb");
  if (in == nullptr) {
    if (errno == ENOENT) throw_not_found("no file '" + source.string() + "'");
    throw_io("cannot read '" + source.string() + "': " + std::strerror(errno));
  }
  struct Closer {
    std::FILE* file;
    ~Closer() { std::fclose(file); }
  } closer{in};
  AtomicFile out(destination, parents);
  std::array<char, 1 << 16> block{};
  std::size_t count = 0;
  while ((count = std::fread(block.data(), 1, block.size(), in)) > 0)
    out.write(std::string_view(block.data(), count));
  if (std::ferror(in)) throw_io("read error in '" + source.string() + "'");
  out.commit();
}

}  // namespace archml::core
