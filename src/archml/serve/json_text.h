// JSON text written by hand on the endpoint's hot paths (responses, capture records),
// where building an nlohmann::json document per request costs more than the model.
#pragma once

#include <string>
#include <string_view>

#include "archml/core/utf8.h"

namespace archml::serve {

// Appends `text` as a JSON string literal: quotes, backslashes and control characters
// escaped; other bytes copied (the caller makes sure they are UTF-8, see below).
void append_json_string(std::string& out, std::string_view text);

// Whether `bytes` is well-formed UTF-8.
using core::is_valid_utf8;

}  // namespace archml::serve
