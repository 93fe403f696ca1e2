#include "archml/store/etag.h"

#include <cctype>

namespace archml::store {

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
