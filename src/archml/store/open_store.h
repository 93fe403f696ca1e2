// Opens the artifact store a URI names, so a job or a command takes one string (a flag,
// a config value) and never cares which kind of store is behind it:
//   a path or file:///path      -> LocalStore rooted there
//   s3://bucket[/prefix]        -> S3Store, configured from the options and the standard
//                                  AWS environment variables (see docs/artifacts.md)
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "archml/store/artifact_store.h"
#include "archml/store/retry_policy.h"

namespace archml::store {

struct StoreOptions {
  // Overrides AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL; empty means AWS itself.
  std::string s3_endpoint;
  // Default: path style for a custom endpoint, virtual-hosted style for AWS.
  std::optional<bool> path_style;
  std::uint64_t multipart_threshold = 64ull << 20;
  std::uint64_t part_size = 16ull << 20;
  int list_page_size = 1000;
  RetryPolicy retry;
};

bool is_s3_uri(std::string_view uri);

// "s3://bucket/a/b" -> {"bucket", "a/b"}; kInvalidInput for a URI without a bucket.
struct S3Uri {
  std::string bucket;
  std::string key;  // may be empty
};
S3Uri parse_s3_uri(std::string_view uri);

std::unique_ptr<ArtifactStore> open_artifact_store(std::string_view uri,
                                                   const StoreOptions& options = {});

}  // namespace archml::store
