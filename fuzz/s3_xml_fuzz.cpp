// The S3 XML documents archml reads: ListObjectsV2 pages, error bodies and
// InitiateMultipartUpload results. Oracles: an error body never throws (it is read while
// answering another error); a listing page that says it is truncated carries a
// continuation token or is refused (a page without one would be asked for again forever).
//
// Input: the document.
#include "archml/core/error.h"
#include "archml/store/s3_xml.h"
#include "harness.h"

namespace archml::fuzz {

void s3_xml(std::string_view input) {
  try {
    (void)store::parse_error_body(input);
  } catch (...) {
    check(false, "parse_error_body threw");
  }
  try {
    (void)store::parse_upload_id(input);
  } catch (const Error& error) {
    check(error.kind() != ErrorKind::kInternal,
          [&] { return std::string("parse_upload_id: ") + error.what(); });
  }
  const store::ListPage page = store::parse_list_page(input);
  for (const auto& object : page.objects) (void)store::unquote_etag(object.etag);
}

}  // namespace archml::fuzz
