#include "archml/store/transfer.h"

#include <algorithm>
#include <string>
#include <system_error>
#include <vector>

#include "archml/core/error.h"
#include "archml/core/progress.h"
#include "archml/store/artifact_key.h"

namespace archml::store {
namespace fs = std::filesystem;

TransferTotals upload_directory(ArtifactStore& store, const fs::path& local_dir,
                                std::string_view key_prefix, bool progress_shown) {
  std::error_code error;
  if (!fs::is_directory(local_dir, error))
    throw_not_found("no folder '" + local_dir.string() + "' to upload");
  std::vector<std::pair<fs::path, std::uint64_t>> files;
  TransferTotals totals;
  for (auto it = fs::recursive_directory_iterator(local_dir, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_regular_file(error)) continue;
    files.emplace_back(it->path(), it->file_size(error));
    totals.bytes += files.back().second;
  }
  if (error) throw_io("cannot list '" + local_dir.string() + "': " + error.message());
  std::sort(files.begin(), files.end());
  core::Progress progress("upload " + local_dir.string(), totals.bytes, "B", progress_shown);
  for (const auto& [path, size] : files) {
    std::string relative = path.lexically_relative(local_dir).generic_string();
    store.put_file(join_key(key_prefix, relative), path);
    progress.advance(size);
    ++totals.files;
  }
  return totals;
}

TransferTotals download_directory(ArtifactStore& store, std::string_view key_prefix,
                                  const fs::path& local_dir, bool progress_shown) {
  std::string folder(key_prefix);
  while (!folder.empty() && folder.back() == '/') folder.pop_back();
  if (!folder.empty()) folder += '/';
  std::vector<ObjectInfo> objects = store.list(folder);
  if (objects.empty()) throw_not_found("no artifacts under " + store.uri_of(folder));
  for (const ObjectInfo& object : objects)
    if (object.key.size() <= folder.size() || object.key.compare(0, folder.size(), folder) != 0)
      throw_io("the listing of " + store.uri_of(folder) + " returned the key '" + object.key +
               "', which is not below it; nothing was downloaded");
  TransferTotals totals;
  for (const ObjectInfo& object : objects) totals.bytes += object.size;
  core::Progress progress("download " + store.uri_of(folder), totals.bytes, "B", progress_shown);
  for (const ObjectInfo& object : objects) {
    store.get_file(object.key, local_dir / fs::path(object.key.substr(folder.size())));
    progress.advance(object.size);
    ++totals.files;
  }
  return totals;
}

}  // namespace archml::store
