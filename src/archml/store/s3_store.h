// An artifact store in an S3-compatible bucket (AWS S3, Ceph RADOS Gateway, MinIO...),
// spoken to over libcurl with its built-in SigV4 signing. What is verified:
// - uploads carry x-amz-content-sha256 with the SHA-256 of each body, which the server
//   checks against the signed payload; the ETag it returns is compared with the MD5 of
//   what was sent (per part, and the combined multipart ETag);
// - downloads are checked for the announced size, and against the ETag when it is a
//   plain MD5 (single-part objects); multipart objects are checked for size only, and
//   fetched as parallel ranges pinned to the ETag (If-Match), so an object replaced
//   mid-download fails instead of mixing two versions.
// Objects at or above `multipart_threshold` go up in parts; a failed multipart upload is
// aborted so no orphan parts are billed. Transient failures are retried (retry_policy.h).
// One S3Store reuses one connection (plus one per part in flight during a multipart
// upload); use it from one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "archml/store/artifact_store.h"
#include "archml/store/listing_guard.h"
#include "archml/store/retry_policy.h"
#include "archml/store/s3_request.h"

namespace archml::store {

struct S3Config {
  S3Address address;
  std::string prefix;  // keys of this store live under "prefix/" in the bucket
  std::string region = "us-east-1";
  std::string access_key;
  std::string secret_key;
  std::string session_token;  // temporary credentials only
  std::uint64_t multipart_threshold = 64ull << 20;
  std::uint64_t part_size = 16ull << 20;
  int list_page_size = 1000;  // keys per ListObjectsV2 page (S3's maximum is 1000)
  // Parts of one multipart upload in flight at once: the server stores one part while the
  // next is read and hashed. Each costs a part's size in memory.
  unsigned parallel_parts = 4;
  RetryPolicy retry;
  long connect_timeout_seconds = 5;  // ARCHML_S3_CONNECT_TIMEOUT
  // An attempt that moves no byte for this long (a server that accepts and never
  // answers, a stalled transfer) fails; ARCHML_S3_READ_TIMEOUT.
  long read_timeout_seconds = 10;
  ListingLimits list_limits;
  bool progress = true;  // progress bars for long transfers, on a terminal only
};

class S3Store : public ArtifactStore {
 public:
  explicit S3Store(S3Config config);
  ~S3Store() override;
  S3Store(const S3Store&) = delete;
  S3Store& operator=(const S3Store&) = delete;

  std::string uri() const override;
  void put_bytes(std::string_view key, std::string_view bytes) override;
  void put_file(std::string_view key, const std::filesystem::path& source) override;
  std::string get_bytes(std::string_view key) override;
  void get_file(std::string_view key, const std::filesystem::path& destination) override;
  std::string get_range(std::string_view key, std::uint64_t offset, std::uint64_t length) override;
  std::optional<ObjectInfo> head(std::string_view key) override;
  std::vector<ObjectInfo> list(std::string_view prefix) override;
  void remove(std::string_view key) override;

  // Creates the bucket; one that already exists and is ours is fine.
  void create_bucket();

  const S3Config& config() const { return config_; }

 private:
  struct Request {
    const char* method = "GET";
    std::string bucket_key;  // empty for a bucket-level request
    QueryParameters query;
    std::vector<std::string> headers;
    std::string_view body;
    // A streaming destination for a successful response body, told the announced total
    // (0 if unknown); without one the body is collected into Response::body. `restart`
    // runs before every attempt.
    std::function<void(std::string_view bytes, std::uint64_t total)> sink;
    std::function<void()> restart;
  };
  struct Response {
    long status = 0;
    int transport_error = 0;
    std::string transport_message;
    int attempts = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // names in lower case
    std::string header(const std::string& name) const;
    // The whole answer arrived and has this status.
    bool ok(long expected_status) const {
      return transport_error == 0 && status == expected_status;
    }
  };

  // On `curl` (an easy handle), or on the store's own connection.
  Response perform(const Request& request, void* curl = nullptr);
  // Throws the archml::Error that describes a failed response.
  [[noreturn]] void fail(const Response& response, std::string_view action,
                         std::string_view key) const;
  // Throws kIo when fewer (or more) bytes arrived than the Content-Length announced.
  void check_length(const Response& response, std::uint64_t received, std::string_view key) const;
  [[noreturn]] void fail_transport(const Response& response, std::string_view action,
                                   const std::string& target) const;
  std::string bucket_key(std::string_view key) const;
  void upload_in_parts(std::string_view key, const std::filesystem::path& source,
                       std::uint64_t size);
  void download_in_parts(std::string_view key, const ObjectInfo& object,
                         const std::filesystem::path& destination);
  void verify_etag(const Response& response, const std::string& expected,
                   std::string_view key) const;

  S3Config config_;
  void* curl_;
};

}  // namespace archml::store
