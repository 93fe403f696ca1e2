// What a key of an artifact store may be, checked once here so that a local directory
// and an S3 bucket accept exactly the same keys: non-empty UTF-8 of at most 1024 bytes
// (S3's limit), '/'-separated segments that are neither empty, "." nor "..", no NUL or
// control characters, no leading or trailing '/'. Spaces and any Unicode are fine.
#pragma once

#include <string>
#include <string_view>

namespace archml::store {

// Throws archml::Error kInvalidInput explaining which rule the key breaks.
void check_artifact_key(std::string_view key);

// "a/b" + "c/d.json" -> "a/b/c/d.json"; an empty prefix leaves the key alone. Trailing
// slashes of the prefix are dropped.
std::string join_key(std::string_view prefix, std::string_view key);

}  // namespace archml::store
