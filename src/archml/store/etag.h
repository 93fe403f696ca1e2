// S3 ETags as integrity checks. For an object uploaded in one PUT the ETag is the hex MD5
// of its bytes; for a multipart upload it is the MD5 of the concatenated binary part MD5s,
// a dash and the part count ("…-7"). archml computes both while bytes stream past and
// compares them with what the server reports (MD5 is not a security measure here: the
// payload signature x-amz-content-sha256 is; it catches corruption in transit and storage).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "archml/core/digest.h"

namespace archml::store {

using core::hex_encode;
using core::Md5;

// ETag of a multipart object from its parts' raw MD5 digests, in part order.
std::string multipart_etag(const std::vector<std::string>& raw_part_digests);

// True for an ETag that is a plain MD5 (32 hex digits), i.e. one that can be checked
// against the bytes: not a multipart ETag, not an encrypted object's opaque one.
bool is_md5_etag(std::string_view etag);

}  // namespace archml::store
