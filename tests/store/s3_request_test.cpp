#include "archml/store/s3_request.h"

#include <gtest/gtest.h>

#include "archml/core/error.h"

namespace archml::store {
namespace {

TEST(AwsUriEncode, KeepsUnreservedAndEncodesEverythingElseUpperCase) {
  EXPECT_EQ(aws_uri_encode("AZaz09-_.~", false), "AZaz09-_.~");
  EXPECT_EQ(aws_uri_encode("a b+c=d&e", false), "a%20b%2Bc%3Dd%26e");
  EXPECT_EQ(aws_uri_encode("dir/sub/file", true), "dir/sub/file");
  EXPECT_EQ(aws_uri_encode("dir/sub", false), "dir%2Fsub");
  // UTF-8 is encoded byte by byte: "ü" is C3 BC.
  EXPECT_EQ(aws_uri_encode("ü", true), "%C3%BC");
  EXPECT_EQ(aws_uri_encode("*!'()", false), "%2A%21%27%28%29");
}

TEST(CanonicalQuery, SortsByNameAndEncodesValues) {
  // The ListObjectsV2 order of AWS's own SigV4 examples.
  EXPECT_EQ(canonical_query({{"prefix", "J"}, {"max-keys", "2"}, {"list-type", "2"}}),
            "list-type=2&max-keys=2&prefix=J");
  EXPECT_EQ(canonical_query({{"uploads", ""}}), "uploads=");
  EXPECT_EQ(canonical_query({{"uploadId", "2~abc/def+="}, {"partNumber", "3"}}),
            "partNumber=3&uploadId=2~abc%2Fdef%2B%3D");
  // Upper case sorts before lower case: byte order of the encoded names.
  EXPECT_EQ(canonical_query({{"b", "1"}, {"B", "2"}, {"a", "3"}}), "B=2&a=3&b=1");
  // A continuation token is opaque and may hold anything.
  EXPECT_EQ(canonical_query({{"continuation-token", "1/a b=="}}),
            "continuation-token=1%2Fa%20b%3D%3D");
  EXPECT_EQ(canonical_query({}), "");
}

TEST(S3Url, PathStyleForCustomEndpoints) {
  S3Address address{"http://127.0.0.1:7480/", "ml-artifacts", true};
  EXPECT_EQ(s3_url(address, "runs/1/with space ü.json"),
            "http://127.0.0.1:7480/ml-artifacts/runs/1/with%20space%20%C3%BC.json");
  EXPECT_EQ(s3_url(address, "", {{"prefix", "runs/"}, {"list-type", "2"}}),
            "http://127.0.0.1:7480/ml-artifacts?list-type=2&prefix=runs%2F");
  EXPECT_EQ(s3_url(address, "k", {{"uploads", ""}}),
            "http://127.0.0.1:7480/ml-artifacts/k?uploads=");
}

TEST(S3Url, VirtualHostedStyleForAws) {
  S3Address address{aws_default_endpoint("eu-west-1"), "ml-artifacts", false};
  EXPECT_EQ(s3_url(address, "a/b"), "https://ml-artifacts.s3.eu-west-1.amazonaws.com/a/b");
  S3Address no_scheme{"s3.local", "b", false};
  EXPECT_THROW(s3_url(no_scheme, "k"), Error);
}

// The reason check_s3_endpoint gives, or "" when it accepts the endpoint.
std::string endpoint_problem(const std::string& endpoint) {
  try {
    check_s3_endpoint(endpoint, "--s3-endpoint");
    return {};
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput) << endpoint;
    return error.what();
  }
}

TEST(S3Endpoint, AcceptsWhatServersAreCalled) {
  for (const char* endpoint :
       {"http://127.0.0.1:7480", "https://s3.eu-west-1.amazonaws.com", "HTTP://minio:9000/",
        "http://[::1]:7480", "http://[fe80::1]", "https://storage.example.com/s3",
        "http://rgw_1.internal:1", "http://host:65535"})
    EXPECT_EQ(endpoint_problem(endpoint), "") << endpoint;
}

TEST(S3Endpoint, RefusesWhatIsNotAUrlNamingTheSource) {
  const std::pair<const char*, const char*> cases[] = {
      {"127.0.0.1:7480", "needs a scheme"},
      {"ftp://host", "must be http:// or https://"},
      {"http://", "has no host"},
      {"http://:7480", "has no host"},
      {"http://host:", "port is empty"},
      {"http://host:0", "port '0' is not a number from 1 to 65535"},
      {"http://host:99999", "port '99999'"},
      {"http://host:12ab", "port '12ab'"},
      {"http://host:123456789012", "port '123456789012'"},
      {"http://ho st:1", "space or a control character"},
      {"http://host\t:1", "space or a control character"},
      {"http://host:1/?x=1", "query or a fragment"},
      {"http://host#frag", "query or a fragment"},
      {"http://user:secret@host", "user names and passwords"},
      {"http://[::1:7480", "lacks the closing ']'"},
      {"http://[zz]:1", "not an IPv6 address"},
      {"http://[::1]x", "follows the IPv6 address"},
      {"http://h%41st", "character '%'"},
  };
  for (const auto& [endpoint, reason] : cases) {
    std::string message = endpoint_problem(endpoint);
    EXPECT_NE(message.find(reason), std::string::npos) << endpoint << ": " << message;
    EXPECT_NE(message.find("(--s3-endpoint)"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace archml::store
