#include "archml/track/pushgateway.h"

#include <cstdlib>

#include "archml/core/error.h"
#include "archml/track/workspace.h"

namespace archml::track {
namespace {

std::string& pushgateway_override() {
  static std::string url;
  return url;
}

}  // namespace

void set_pushgateway_override(const std::string& url) {
  pushgateway_override() = url;
}

std::string configured_pushgateway(const WorkspaceConfig& config) {
  if (!pushgateway_override().empty()) return pushgateway_base_url(pushgateway_override());
  const char* env = std::getenv("ARCHML_PUSHGATEWAY_URL");
  if (env != nullptr && *env != '\0') return pushgateway_base_url(env);
  if (!config.pushgateway.empty()) return pushgateway_base_url(config.pushgateway);
  return "";
}

std::string pushgateway_base_url(std::string_view url) {
  std::string base(url);
  const auto scheme_end = base.find("://");
  if (scheme_end == std::string::npos) {
    base = "http://" + base;
  } else {
    const std::string scheme = base.substr(0, scheme_end);
    if (scheme != "http" && scheme != "https")
      throw_invalid("Pushgateway URL '" + std::string(url) +
                    "' must be http:// or https:// (e.g. http://127.0.0.1:9091)");
  }
  const auto host_start = base.find("://") + 3;
  while (base.size() > host_start && base.back() == '/') base.pop_back();
  if (host_start >= base.size() || base[host_start] == '/' || base[host_start] == ':')
    throw_invalid("Pushgateway URL '" + std::string(url) +
                  "' names no host (e.g. http://127.0.0.1:9091)");
  return base;
}

}  // namespace archml::track
