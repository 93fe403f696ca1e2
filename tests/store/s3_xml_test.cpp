#include "archml/store/s3_xml.h"

#include <gtest/gtest.h>

#include "archml/core/error.h"
#include "archml/store/etag.h"

namespace archml::store {
namespace {

TEST(S3Xml, ParsesAListPageWithEntitiesAndContinuation) {
  std::string xml =
      R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>b</Name><Prefix>runs/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
  <IsTruncated>true</IsTruncated><NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
  <Contents><Key>runs/a &amp; b.json</Key><LastModified>2026-11-27T23:52:52.200Z</LastModified>
    <ETag>&quot;49f68a5c8493ec2c0bf489821c21fc3b&quot;</ETag><Size>2</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>runs/ü</Key><LastModified>2026-11-27T23:52:53.000Z</LastModified>
    <ETag>"abc-3"</ETag><Size>104857600</Size></Contents>
</ListBucketResult>)";
  ListPage page = parse_list_page(xml);
  EXPECT_TRUE(page.truncated);
  EXPECT_EQ(page.next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
  ASSERT_EQ(page.objects.size(), 2u);
  EXPECT_EQ(page.objects[0].key, "runs/a & b.json");
  EXPECT_EQ(page.objects[0].etag, "49f68a5c8493ec2c0bf489821c21fc3b");
  EXPECT_EQ(page.objects[0].size, 2u);
  EXPECT_EQ(page.objects[1].key, "runs/ü");
  EXPECT_EQ(page.objects[1].size, 104857600u);
}

TEST(S3Xml, LastPageAndEmptyListing) {
  ListPage page = parse_list_page(
      "<ListBucketResult><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount>"
      "</ListBucketResult>");
  EXPECT_FALSE(page.truncated);
  EXPECT_TRUE(page.objects.empty());
}

TEST(S3Xml, RejectsWhatIsNotAListing) {
  EXPECT_THROW(parse_list_page("<html>proxy error</html>"), Error);
  EXPECT_THROW(parse_list_page("not xml at all"), Error);
  // Truncated without a token would loop forever or silently drop keys.
  EXPECT_THROW(parse_list_page("<ListBucketResult><IsTruncated>true</IsTruncated>"
                               "</ListBucketResult>"),
               Error);
}

TEST(S3Xml, ErrorBodies) {
  S3ErrorBody error = parse_error_body(
      R"(<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message><RequestId>tx1</RequestId></Error>)");
  EXPECT_EQ(error.code, "SignatureDoesNotMatch");
  EXPECT_EQ(error.message, "The request signature we calculated does not match");
  EXPECT_TRUE(parse_error_body("").code.empty());
  EXPECT_TRUE(parse_error_body("<<garbage").code.empty());
}

TEST(S3Xml, MultipartDocuments) {
  EXPECT_EQ(parse_upload_id("<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
                            "<UploadId>2~xyz</UploadId></InitiateMultipartUploadResult>"),
            "2~xyz");
  EXPECT_THROW(parse_upload_id("<InitiateMultipartUploadResult/>"), Error);
  EXPECT_EQ(complete_multipart_body({"\"e1\"", "\"e2\""}),
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"e1\"</ETag></Part>"
            "<Part><PartNumber>2</PartNumber><ETag>\"e2\"</ETag></Part></CompleteMultipartUpload>");
}

TEST(Etag, Md5AndMultipartEtags) {
  Md5 digest;
  digest.update("hello\n");
  EXPECT_EQ(hex_encode(digest.raw_digest()), "b1946ac92492d2347c6235b4d2611184");
  digest.reset();
  EXPECT_EQ(hex_encode(digest.raw_digest()), "d41d8cd98f00b204e9800998ecf8427e");
  // Multipart ETag = MD5 of the concatenated binary part digests, "-" part count.
  Md5 part;
  part.update("hello\n");
  std::string raw = part.raw_digest();
  Md5 combined;
  combined.update(raw + raw);
  EXPECT_EQ(multipart_etag({raw, raw}), hex_encode(combined.raw_digest()) + "-2");
  EXPECT_TRUE(is_md5_etag("b1946ac92492d2347c6235b4d2611184"));
  EXPECT_FALSE(is_md5_etag("a4ca892c7bfd3da057a68f0a73fb3ed9-6"));
  EXPECT_FALSE(is_md5_etag(""));
  EXPECT_EQ(unquote_etag("\"abc\""), "abc");
  EXPECT_EQ(unquote_etag("abc"), "abc");
}

}  // namespace
}  // namespace archml::store
