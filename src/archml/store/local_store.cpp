#include "archml/store/local_store.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <system_error>

#include "archml/core/atomic_file.h"
#include "archml/core/error.h"
#include "archml/core/text_file.h"
#include "archml/store/artifact_key.h"
#include "archml/store/file_range.h"

namespace archml::store {
namespace fs = std::filesystem;
namespace {

std::string iso8601_utc(std::time_t seconds) {
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

std::optional<ObjectInfo> info_of(const fs::path& path, std::string key) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throw_io("cannot inspect '" + path.string() + "': " + std::strerror(errno));
  }
  if (!S_ISREG(status.st_mode)) return std::nullopt;
  ObjectInfo info;
  info.key = std::move(key);
  info.size = static_cast<std::uint64_t>(status.st_size);
  info.last_modified = iso8601_utc(status.st_mtime);
  return info;
}

}  // namespace

LocalStore::LocalStore(fs::path root) : root_(fs::absolute(std::move(root)).lexically_normal()) {
  std::error_code error;
  fs::create_directories(root_, error);
  if (error || !fs::is_directory(root_))
    throw_io("cannot use '" + root_.string() + "' as an artifact folder: " +
             (error ? error.message() : std::string("it is not a folder")));
}

std::string LocalStore::uri() const {
  return root_.string();
}

fs::path LocalStore::path_of(std::string_view key) const {
  check_artifact_key(key);
  return root_ / fs::path(std::string(key));
}

void LocalStore::put_bytes(std::string_view key, std::string_view bytes) {
  core::AtomicFile file(path_of(key), core::ParentFolders::kCreate);
  file.write(bytes);
  file.commit();
}

void LocalStore::put_file(std::string_view key, const fs::path& source) {
  core::copy_file_atomically(source, path_of(key), core::ParentFolders::kCreate);
}

std::string LocalStore::get_bytes(std::string_view key) {
  fs::path path = path_of(key);
  if (!info_of(path, std::string(key))) throw_not_found("no artifact " + uri_of(key));
  return core::read_text_file(path, "artifact");
}

void LocalStore::get_file(std::string_view key, const fs::path& destination) {
  fs::path path = path_of(key);
  if (!info_of(path, std::string(key))) throw_not_found("no artifact " + uri_of(key));
  core::copy_file_atomically(path, destination, core::ParentFolders::kCreate);
}

std::string LocalStore::get_range(std::string_view key, std::uint64_t offset,
                                  std::uint64_t length) {
  fs::path path = path_of(key);
  ObjectInfo info = stat(key);
  if (length == 0) return {};
  if (offset >= info.size)
    throw_invalid("range starts at byte " + std::to_string(offset) + " but " + uri_of(key) +
                  " has " + std::to_string(info.size) + " bytes");
  return read_file_range(path, offset, std::min(length, info.size - offset));
}

std::optional<ObjectInfo> LocalStore::head(std::string_view key) {
  return info_of(path_of(key), std::string(key));
}

std::vector<ObjectInfo> LocalStore::list(std::string_view prefix) {
  // Only the folder named by the prefix's complete segments can hold matches.
  std::string folder(
      prefix.substr(0, prefix.rfind('/') == std::string_view::npos ? 0 : prefix.rfind('/')));
  fs::path start = folder.empty() ? root_ : root_ / folder;
  std::vector<ObjectInfo> objects;
  std::error_code error;
  if (!fs::is_directory(start, error)) return objects;
  for (auto it = fs::recursive_directory_iterator(start, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_regular_file(error)) continue;
    std::string key = it->path().lexically_relative(root_).generic_string();
    if (key.compare(0, prefix.size(), prefix) != 0) continue;
    if (key.find(core::kTemporaryMarker) != std::string::npos) continue;
    if (auto info = info_of(it->path(), key)) objects.push_back(std::move(*info));
  }
  if (error) throw_io("cannot list '" + start.string() + "': " + error.message());
  std::sort(objects.begin(), objects.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  return objects;
}

void LocalStore::remove(std::string_view key) {
  fs::path path = path_of(key);
  std::error_code error;
  fs::remove(path, error);
  if (error) throw_io("cannot remove " + uri_of(key) + ": " + error.message());
  // Empty folders left behind would be invisible to list() but clutter the directory.
  for (fs::path folder = path.parent_path(); folder != root_ && folder.has_relative_path();
       folder = folder.parent_path()) {
    if (!fs::is_empty(folder, error) || error) break;
    fs::remove(folder, error);
  }
}

}  // namespace archml::store
