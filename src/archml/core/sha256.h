// SHA-256 digests, for what must be cryptographically checked rather than merely
// fingerprinted: artifact integrity in the catalog and S3 payload signatures
// (x-amz-content-sha256). OpenSSL computes them; this header keeps its API out of callers.
#pragma once

#include <string>
#include <string_view>

namespace archml::core {

// Incremental digest for data that arrives in pieces (a file read in blocks, a stream).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  // 64 lower-case hex digits. The digest is finished: call at most once.
  std::string hex_digest();

 private:
  void* context_;
};

std::string sha256_hex(std::string_view bytes);

// Digest of a file's bytes, read in blocks. Throws archml::Error (not found, I/O).
std::string file_sha256_hex(const std::string& path);

}  // namespace archml::core
