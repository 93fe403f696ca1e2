// XGBoost's C API reports failure as a non-zero return code and keeps the message in a
// thread-local buffer. check_xgb turns that into an archml::Error, naming what archml
// was doing, so every call site is one line and no failure goes unnoticed.
#pragma once

#include <string_view>

#include "archml/core/error.h"

namespace archml::model {

// Throws archml::Error (kind) with "<action>: <XGBGetLastError()>" when rc != 0.
// Errors from XGBoost default to kInvalidInput: in practice they are bad data or
// parameters (labels out of range, inconsistent shapes), not bugs in archml.
void check_xgb(int rc, std::string_view action, ErrorKind kind = ErrorKind::kInvalidInput);

}  // namespace archml::model
