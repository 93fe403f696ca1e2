// Which Prometheus Pushgateway a job pushes to is the workspace's choice
// (track::Workspace::pushgateway_url: --pushgateway, else ARCHML_PUSHGATEWAY_URL, else the
// config's `pushgateway`); this file normalises the URL. The HTTP client that pushes is
// store/pushgateway_client.h.
#pragma once

#include <string>
#include <string_view>

namespace archml::track {

// "host:9091" -> "http://host:9091", without a trailing '/'. Throws archml::Error
// (invalid input) for a scheme other than http or https, or an empty host.
std::string pushgateway_base_url(std::string_view url);

}  // namespace archml::track
