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

}  // namespace
}  // namespace archml::store
