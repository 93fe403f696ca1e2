#include "archml/store/s3_request.h"

#include <algorithm>

#include "archml/core/error.h"

namespace archml::store {

std::string aws_uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(text.size() * 3);
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                      (byte >= '0' && byte <= '9') || byte == '-' || byte == '_' || byte == '.' ||
                      byte == '~';
    if (unreserved || (keep_slash && byte == '/')) {
      encoded.push_back(c);
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[byte >> 4]);
      encoded.push_back(kHex[byte & 0xf]);
    }
  }
  return encoded;
}

std::string canonical_query(QueryParameters parameters) {
  for (auto& [name, value] : parameters) {
    name = aws_uri_encode(name, false);
    value = aws_uri_encode(value, false);
  }
  std::sort(parameters.begin(), parameters.end());
  std::string query;
  for (const auto& [name, value] : parameters) {
    if (!query.empty()) query += '&';
    query += name;
    query += '=';
    query += value;
  }
  return query;
}

std::string s3_url(const S3Address& address, std::string_view key, const QueryParameters& query) {
  std::string endpoint = address.endpoint;
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  std::string url;
  if (address.path_style) {
    url = endpoint + "/" + aws_uri_encode(address.bucket, false);
    if (!key.empty()) url += "/" + aws_uri_encode(key, true);
  } else {
    std::size_t scheme_end = endpoint.find("://");
    if (scheme_end == std::string::npos)
      throw_invalid("S3 endpoint '" + endpoint + "' needs a scheme (http:// or https://)");
    url = endpoint.substr(0, scheme_end + 3) + address.bucket + "." +
          endpoint.substr(scheme_end + 3) + "/" + aws_uri_encode(key, true);
  }
  if (!query.empty()) url += "?" + canonical_query(query);
  return url;
}

std::string aws_default_endpoint(std::string_view region) {
  return "https://s3." + std::string(region) + ".amazonaws.com";
}

}  // namespace archml::store
