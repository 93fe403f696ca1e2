#include "cli/store_location.h"

#include <filesystem>

#include "archml/core/error.h"
#include "archml/store/local_store.h"

namespace archml::cli {

namespace fs = std::filesystem;

Location locate(const std::string& uri, const store::StoreOptions& options) {
  Location location;
  if (store::is_s3_uri(uri)) {
    store::S3Uri parsed = store::parse_s3_uri(uri);
    location.store = store::open_artifact_store("s3://" + parsed.bucket, options);
    location.key = parsed.key;
    return location;
  }
  fs::path path = fs::absolute(store::local_path(uri)).lexically_normal();
  if (path.filename().empty()) path = path.parent_path();
  if (!fs::is_directory(path.parent_path()))
    throw_not_found("no folder '" + path.parent_path().string() + "'");
  location.store = std::make_unique<store::LocalStore>(path.parent_path());
  location.key = path.filename().string();
  return location;
}

}  // namespace archml::cli
