// The artifact store: named blobs (bundles, splits, reports, capture files, metric exports)
// under keys such as "runs/42/bundle/model.json". A local directory is the default; an
// S3-compatible bucket serves a team (see docs/artifacts.md). Every implementation gives
// the same contract, so a job never knows where its artifacts live:
// - keys are relative, '/'-separated UTF-8 (see artifact_key.h); list() and head() see
//   exactly the objects put and not removed, with their byte sizes;
// - a put replaces the object whole: a reader never sees half of it;
// - a missing key is archml::Error kNotFound, a refused request kIo (network, server) or
//   kInvalidInput (bad credentials), with a message that names the object.
// A store object is used from one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace archml::store {

struct ObjectInfo {
  std::string key;
  std::uint64_t size = 0;
  // S3: the server's ETag without quotes (the MD5 of a single-part object); local: empty.
  std::string etag;
  // ISO 8601 UTC, e.g. "2026-11-27T23:52:52Z".
  std::string last_modified;
};

class ArtifactStore {
 public:
  virtual ~ArtifactStore() = default;

  // Where the store lives, for messages and the catalog: "s3://bucket/prefix" or a path.
  virtual std::string uri() const = 0;
  // The URI of one object, e.g. "s3://bucket/prefix/runs/42/model.json".
  std::string uri_of(std::string_view key) const;

  virtual void put_bytes(std::string_view key, std::string_view bytes) = 0;
  virtual void put_file(std::string_view key, const std::filesystem::path& source) = 0;
  virtual std::string get_bytes(std::string_view key) = 0;
  // Writes the object to `destination` (created or replaced; parent directories created).
  virtual void get_file(std::string_view key, const std::filesystem::path& destination) = 0;
  // Up to `length` bytes from `offset`; fewer at the end of the object. An offset at or
  // past the end is kInvalidInput; a zero length returns nothing without a request.
  virtual std::string get_range(std::string_view key, std::uint64_t offset,
                                std::uint64_t length) = 0;
  // nullopt when there is no such object.
  virtual std::optional<ObjectInfo> head(std::string_view key) = 0;
  // Every object whose key starts with `prefix` (a string prefix, not a folder: "run"
  // matches "runs/1"), sorted by key, however many pages the server needs.
  virtual std::vector<ObjectInfo> list(std::string_view prefix) = 0;
  // Removing a missing object is not an error (as in S3).
  virtual void remove(std::string_view key) = 0;

  // head() that throws kNotFound naming the object.
  ObjectInfo stat(std::string_view key);
  bool exists(std::string_view key) { return head(key).has_value(); }
};

}  // namespace archml::store
