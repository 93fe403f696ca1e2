#include "archml/store/s3_request.h"

#include <algorithm>
#include <cctype>

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

namespace {

bool host_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

// What is wrong with the authority "host[:port]", or "" when nothing is.
std::string authority_problem(std::string_view authority) {
  if (authority.empty()) return "it has no host";
  if (authority.find('@') != std::string_view::npos)
    return "user names and passwords do not go in the URL; set AWS_ACCESS_KEY_ID instead";
  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return "its IPv6 address lacks the closing ']'";
    for (char c : authority.substr(1, close - 1))
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.')
        return "'" + std::string(authority.substr(0, close + 1)) + "' is not an IPv6 address";
    host = authority.substr(0, close + 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return "something follows the IPv6 address";
    if (!rest.empty()) port = rest.substr(1);
    if (rest == ":") return "its port is empty";
  } else {
    std::size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return "its port is empty";
    }
    if (host.empty()) return "it has no host";
    for (char c : host)
      if (!host_character(c))
        return "its host '" + std::string(host) + "' has the character '" + std::string(1, c) + "'";
  }
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos)
      return "its port '" + std::string(port) + "' is not a number from 1 to 65535";
    int number = std::stoi(std::string(port));
    if (number < 1 || number > 65535)
      return "its port '" + std::string(port) + "' is not a number from 1 to 65535";
  }
  return {};
}

std::string endpoint_problem(std::string_view endpoint) {
  std::size_t scheme_end = endpoint.find("://");
  if (scheme_end == std::string_view::npos) return "it needs a scheme, as in http://HOST:PORT";
  std::string scheme(endpoint.substr(0, scheme_end));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme != "http" && scheme != "https")
    return "the scheme must be http:// or https://, not " +
           std::string(endpoint.substr(0, scheme_end)) + "://";
  for (char c : endpoint) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || byte == 0x7f) return "it contains a space or a control character";
    if (c == '?' || c == '#') return "it has a query or a fragment ('" + std::string(1, c) + "')";
  }
  std::string_view rest = endpoint.substr(scheme_end + 3);
  return authority_problem(rest.substr(0, rest.find('/')));
}

}  // namespace

void check_s3_endpoint(std::string_view endpoint, std::string_view source) {
  std::string problem = endpoint_problem(endpoint);
  if (!problem.empty())
    throw_invalid("the S3 endpoint '" + std::string(endpoint) + "' (" + std::string(source) +
                  ") is not a URL such as http://127.0.0.1:7480: " + problem);
}

std::string aws_default_endpoint(std::string_view region) {
  return "https://s3." + std::string(region) + ".amazonaws.com";
}

}  // namespace archml::store
