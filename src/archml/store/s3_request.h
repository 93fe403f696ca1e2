// The parts of an S3 request that must be byte-exact for a SigV4 signature to match, as
// pure functions (no network) so they are unit-tested. libcurl signs the request it is
// given (CURLOPT_AWS_SIGV4) but, in 7.88, takes the path and the query string verbatim
// into the canonical request: the path must already be encoded the way AWS encodes it
// and the query must already be encoded and sorted, or the server computes another
// signature and answers SignatureDoesNotMatch.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace archml::store {

// AWS URI encoding: every byte except A-Z a-z 0-9 - _ . ~ becomes %XX (upper-case hex),
// so a space is %20 and UTF-8 is encoded byte by byte; '/' is kept when `keep_slash`.
std::string aws_uri_encode(std::string_view text, bool keep_slash);

using QueryParameters = std::vector<std::pair<std::string, std::string>>;

// "a=1&b=x%2Fy": names and values encoded (slashes too), sorted by encoded name then value;
// a parameter without a value ("uploads") is written "uploads=" as SigV4 requires.
std::string canonical_query(QueryParameters parameters);

struct S3Address {
  std::string endpoint;  // "http://127.0.0.1:7480" or "https://s3.eu-west-1.amazonaws.com"
  std::string bucket;
  bool path_style = true;  // endpoint/bucket/key rather than bucket.host/key
};

// The URL of an object (or of the bucket when `key` is empty), with the query appended.
std::string s3_url(const S3Address& address, std::string_view key,
                   const QueryParameters& query = {});

// Throws kInvalidInput, naming `source` ("--s3-endpoint", "AWS_ENDPOINT_URL"), unless
// `endpoint` is http(s)://HOST[:PORT][/PATH]: a host name or [IPv6] address, a port of
// 1-65535, and no user info, query, fragment, space or control character. Checked before
// any request, so a typo is invalid input (exit code 2), never retried as a network error.
void check_s3_endpoint(std::string_view endpoint, std::string_view source);

// The endpoint AWS itself serves a region from.
std::string aws_default_endpoint(std::string_view region);

}  // namespace archml::store
