// Base64 (RFC 4648): the standard alphabet with padding (section 4), as SageMaker's data
// capture records binary bodies, and the URL- and filename-safe alphabet without padding
// (section 5), as a Pushgateway URL carries a label value that holds a '/'.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace archml::core {

std::string base64(std::string_view bytes);
std::string base64url(std::string_view bytes);
// The bytes of standard base64 text (padding optional, blanks not allowed); nothing when
// `text` holds a character outside the alphabet.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace archml::core
