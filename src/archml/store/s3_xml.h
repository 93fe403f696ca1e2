// The XML documents of the S3 REST API that archml reads and writes: ListObjectsV2 pages,
// error bodies, InitiateMultipartUpload results and CompleteMultipartUpload requests.
// Parsed with tinyxml2, so entities in keys ("a &amp; b") come back as the real bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "archml/store/artifact_store.h"

namespace archml::store {

struct ListPage {
  std::vector<ObjectInfo> objects;  // keys as the bucket has them (with the store prefix)
  bool truncated = false;
  std::string next_continuation_token;
};

// Throws kIo when the server sent something that is not a ListBucketResult.
ListPage parse_list_page(std::string_view xml);

struct S3ErrorBody {
  std::string code;  // "NoSuchKey", "SignatureDoesNotMatch", ...; empty if no body
  std::string message;
};
// Never throws: an unparsable body gives empty fields.
S3ErrorBody parse_error_body(std::string_view xml);

// Throws kIo when the response has no UploadId.
std::string parse_upload_id(std::string_view xml);

// The request body completing a multipart upload; `etags` in part order, quotes included.
std::string complete_multipart_body(const std::vector<std::string>& etags);

// ETag values come quoted ("\"abc\""); this strips the quotes.
std::string unquote_etag(std::string_view etag);

}  // namespace archml::store
