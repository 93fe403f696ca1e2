// Message digests through OpenSSL, for what must be checked rather than merely
// fingerprinted (content_hash.h is the fast non-cryptographic fingerprint): SHA-256 for
// artifact integrity in the catalog and S3 payload signatures (x-amz-content-sha256),
// MD5 for S3 ETags. This header keeps OpenSSL's API out of callers.
#pragma once

#include <string>
#include <string_view>

namespace archml::core {

// Incremental digest for data that arrives in pieces (a file read in blocks, a stream).
class MessageDigest {
 public:
  enum class Algorithm { kSha256, kMd5 };
  explicit MessageDigest(Algorithm algorithm);
  ~MessageDigest();
  MessageDigest(const MessageDigest&) = delete;
  MessageDigest& operator=(const MessageDigest&) = delete;

  void update(std::string_view bytes);
  // Starts over, for a transfer that is retried from its first byte.
  void reset();
  // The raw digest bytes, or lower-case hex. Either finishes the digest: call one of
  // them once per reset().
  std::string raw_digest();
  std::string hex_digest();

 private:
  Algorithm algorithm_;
  void* context_;
};

class Sha256 : public MessageDigest {
 public:
  Sha256() : MessageDigest(Algorithm::kSha256) {}
};

class Md5 : public MessageDigest {
 public:
  Md5() : MessageDigest(Algorithm::kMd5) {}
};

std::string hex_encode(std::string_view bytes);

std::string sha256_hex(std::string_view bytes);

// SHA-256 of a file's bytes, read in blocks. Throws archml::Error (not found, I/O).
std::string file_sha256_hex(const std::string& path);

}  // namespace archml::core
