// Whole folders in and out of an artifact store, for jobs whose artifacts are a directory
// (a bundle, a report with its assets). Keys mirror relative paths under `key_prefix`
// ("runs/7/bundle" + "model.json" -> "runs/7/bundle/model.json"). Progress in bytes
// is shown on a terminal when `progress` (false under --quiet).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "archml/store/artifact_store.h"

namespace archml::store {

struct TransferTotals {
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
};

// Uploads every regular file below `local_dir`. kNotFound if the folder does not exist.
TransferTotals upload_directory(ArtifactStore& store, const std::filesystem::path& local_dir,
                                std::string_view key_prefix, bool progress);

// Downloads every object under "key_prefix/" into `local_dir`, creating sub-folders.
// kNotFound when there is none.
TransferTotals download_directory(ArtifactStore& store, std::string_view key_prefix,
                                  const std::filesystem::path& local_dir, bool progress);

}  // namespace archml::store
