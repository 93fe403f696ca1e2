#include "archml/store/etag.h"

#include <openssl/evp.h>

#include <cctype>
#include <stdexcept>

namespace archml::store {
namespace {

EVP_MD_CTX* as_context(void* context) {
  return static_cast<EVP_MD_CTX*>(context);
}

}  // namespace

Md5::Md5() : context_(EVP_MD_CTX_new()) {
  // Failure here means OpenSSL itself is broken (out of memory), not bad input.
  if (context_ == nullptr) throw std::runtime_error("OpenSSL could not allocate an MD5 digest");
  reset();
}

Md5::~Md5() {
  EVP_MD_CTX_free(as_context(context_));
}

void Md5::reset() {
  if (EVP_DigestInit_ex(as_context(context_), EVP_md5(), nullptr) != 1)
    throw std::runtime_error("OpenSSL could not start an MD5 digest");
}

void Md5::update(std::string_view bytes) {
  if (EVP_DigestUpdate(as_context(context_), bytes.data(), bytes.size()) != 1)
    throw std::runtime_error("OpenSSL MD5 update failed");
}

std::string Md5::raw_digest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(as_context(context_), digest, &length) != 1)
    throw std::runtime_error("OpenSSL MD5 final failed");
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string hex_encode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (char c : bytes) {
    auto byte = static_cast<unsigned char>(c);
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0xf]);
  }
  return hex;
}

std::string multipart_etag(const std::vector<std::string>& raw_part_digests) {
  Md5 digest;
  for (const std::string& part : raw_part_digests) digest.update(part);
  return hex_encode(digest.raw_digest()) + "-" + std::to_string(raw_part_digests.size());
}

bool is_md5_etag(std::string_view etag) {
  if (etag.size() != 32) return false;
  for (char c : etag)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace archml::store
