// Opens the artifact store a URI names, so a job or a command takes one string (a flag,
// a config value) and never cares which kind of store is behind it:
//   a path or file:///path      -> LocalStore rooted there
//   s3://bucket[/prefix]        -> S3Store, configured from the options, which carry the
//                                  standard AWS environment variables as the command line
//                                  read them (s3_environment; docs/artifacts.md). Nothing
//                                  here reads the environment itself.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "archml/store/artifact_store.h"
#include "archml/store/retry_policy.h"

namespace archml::store {

// The standard AWS settings of the environment; empty when not set.
struct S3Environment {
  std::string endpoint;       // AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL
  std::string region;         // AWS_REGION, else AWS_DEFAULT_REGION
  std::string access_key;     // AWS_ACCESS_KEY_ID
  std::string secret_key;     // AWS_SECRET_ACCESS_KEY
  std::string session_token;  // AWS_SESSION_TOKEN
};

// Picks the variables above out of an environment given as name -> value.
S3Environment s3_environment(const std::map<std::string, std::string>& variables);

struct StoreOptions {
  S3Environment environment;
  // Overrides environment.endpoint; both empty mean AWS itself.
  std::string s3_endpoint;
  // Default: path style for a custom endpoint, virtual-hosted style for AWS.
  std::optional<bool> path_style;
  std::uint64_t multipart_threshold = 64ull << 20;
  std::uint64_t part_size = 16ull << 20;
  int list_page_size = 1000;
  RetryPolicy retry;
  // Progress bars for long transfers (drawn on a terminal only); off under --quiet.
  bool progress = true;
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
