#include "archml/model/xgb_error.h"

#include <xgboost/c_api.h>

#include <string>

namespace archml::model {

void check_xgb(int rc, std::string_view action, ErrorKind kind) {
  if (rc == 0) return;
  std::string message = "XGBoost failed to " + std::string(action);
  const char* detail = XGBGetLastError();
  if (detail != nullptr && *detail != '\0') {
    std::string text(detail);
    // XGBoost appends a native stack trace after the message; it helps nobody
    // reading a CLI error, and the first line carries the reason.
    if (auto trace = text.find("\nStack trace:"); trace != std::string::npos) text.resize(trace);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    message += ": " + text;
  }
  throw Error(kind, message);
}

}  // namespace archml::model
