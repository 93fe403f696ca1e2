#include "archml/store/artifact_store.h"

#include "archml/core/error.h"

namespace archml::store {

std::string ArtifactStore::uri_of(std::string_view key) const {
  std::string root = uri();
  if (!root.empty() && root.back() != '/') root += '/';
  return root + std::string(key);
}

ObjectInfo ArtifactStore::stat(std::string_view key) {
  std::optional<ObjectInfo> info = head(key);
  if (!info) throw_not_found("no artifact " + uri_of(key));
  return *info;
}

}  // namespace archml::store
