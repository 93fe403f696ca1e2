// Opens the artifact store a URI names, so a job or a command takes one string (a flag,
// a config value) and never cares which kind of store is behind it:
//   a path or file:///path      -> LocalStore rooted there
//   s3://bucket[/prefix]        -> S3Store, configured from the options, which carry the
//                                  standard AWS environment variables and ARCHML_S3_*
//                                  (timeouts, listing limit) as the command line read them
//                                  (s3_environment; docs/artifacts.md). Nothing here reads
//                                  the environment itself.
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

// The S3 settings of the environment (AWS's standard ones, archml's own); empty when not set.
struct S3Environment {
  std::string endpoint;           // AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL
  std::string endpoint_variable;  // which of the two `endpoint` came from (for messages)
  std::string region;             // AWS_REGION, else AWS_DEFAULT_REGION
  std::string access_key;         // AWS_ACCESS_KEY_ID
  std::string secret_key;         // AWS_SECRET_ACCESS_KEY
  std::string session_token;      // AWS_SESSION_TOKEN
  // archml's own S3 settings, as text; checked when a store opens (docs/artifacts.md).
  std::string connect_timeout;  // ARCHML_S3_CONNECT_TIMEOUT (seconds)
  std::string read_timeout;     // ARCHML_S3_READ_TIMEOUT (seconds)
  std::string list_max_keys;    // ARCHML_S3_LIST_MAX_KEYS
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
  // Unset: environment's ARCHML_S3_CONNECT_TIMEOUT, ARCHML_S3_READ_TIMEOUT,
  // ARCHML_S3_LIST_MAX_KEYS, else the defaults of S3Config (5 s, 10 s, 1,000,000 keys).
  std::optional<long> connect_timeout_seconds;
  std::optional<long> read_timeout_seconds;
  std::optional<std::uint64_t> list_max_keys;
};

bool is_s3_uri(std::string_view uri);

// The local path a store URI that is not s3:// names: "file:///srv/a" (or
// "file://localhost/srv/a") is "/srv/a", a plain path is itself. kInvalidInput for any
// other scheme or a file:// URI that is not absolute. The path is taken as written (no
// percent-decoding), as the catalog records it.
std::string local_path(std::string_view uri);

// "s3://bucket/a/b" -> {"bucket", "a/b"}; kInvalidInput for a URI without a bucket.
struct S3Uri {
  std::string bucket;
  std::string key;  // may be empty
};
S3Uri parse_s3_uri(std::string_view uri);

std::unique_ptr<ArtifactStore> open_artifact_store(std::string_view uri,
                                                   const StoreOptions& options = {});

}  // namespace archml::store
