#include "archml/core/digest.h"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <stdexcept>

#include "archml/core/error.h"

namespace archml::core {
namespace {

EVP_MD_CTX* as_context(void* context) {
  return static_cast<EVP_MD_CTX*>(context);
}

const EVP_MD* evp_algorithm(MessageDigest::Algorithm algorithm) {
  return algorithm == MessageDigest::Algorithm::kSha256 ? EVP_sha256() : EVP_md5();
}

}  // namespace

MessageDigest::MessageDigest(Algorithm algorithm)
    : algorithm_(algorithm), context_(EVP_MD_CTX_new()) {
  // Failure here means OpenSSL itself is broken (out of memory), not bad input.
  if (context_ == nullptr) throw std::runtime_error("OpenSSL could not allocate a digest");
  reset();
}

MessageDigest::~MessageDigest() {
  EVP_MD_CTX_free(as_context(context_));
}

void MessageDigest::reset() {
  if (EVP_DigestInit_ex(as_context(context_), evp_algorithm(algorithm_), nullptr) != 1)
    throw std::runtime_error("OpenSSL could not start a digest");
}

void MessageDigest::update(std::string_view bytes) {
  if (EVP_DigestUpdate(as_context(context_), bytes.data(), bytes.size()) != 1)
    throw std::runtime_error("OpenSSL digest update failed");
}

std::string MessageDigest::raw_digest() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(as_context(context_), digest.data(), &length) != 1)
    throw std::runtime_error("OpenSSL digest final failed");
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

std::string MessageDigest::hex_digest() {
  return hex_encode(raw_digest());
}

std::string hex_encode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0xf]);
  }
  return hex;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 digest;
  digest.update(bytes);
  return digest.hex_digest();
}

std::string file_sha256_hex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_not_found("cannot open '" + path + "' to compute its SHA-256");
  Sha256 digest;
  std::array<char, 1 << 16> block{};
  while (in) {
    in.read(block.data(), block.size());
    if (in.gcount() > 0) digest.update(std::string_view(block.data(), in.gcount()));
  }
  if (in.bad()) throw_io("read error in '" + path + "' while computing its SHA-256");
  return digest.hex_digest();
}

}  // namespace archml::core
