// What a user types for one artifact, as a store and a key: "s3://b/k" is bucket b and
// key k; a local path (or file:///path) is its parent folder and its file name. Shared by the
// commands that read or write single artifacts (artifacts, metrics --export).
#pragma once

#include <memory>
#include <string>

#include "archml/store/artifact_store.h"
#include "archml/store/open_store.h"

namespace archml::cli {

struct Location {
  std::unique_ptr<store::ArtifactStore> store;
  std::string key;  // empty for a bare bucket
};

// kNotFound when a local path's folder does not exist.
Location locate(const std::string& uri, const store::StoreOptions& options);

}  // namespace archml::cli
