#include "archml/track/pushgateway.h"

#include "archml/core/error.h"

namespace archml::track {

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
