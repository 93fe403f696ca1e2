// Which Prometheus Pushgateway this process pushes to (docs/monitoring.md); the HTTP
// client that pushes is store/pushgateway_client.h.
//
// The gateway is, in order: the --pushgateway flag (set_pushgateway_override), the
// ARCHML_PUSHGATEWAY_URL environment variable, or the workspace config's `pushgateway`
// key; none of them means nothing is pushed.
#pragma once

#include <string>
#include <string_view>

namespace archml::track {

struct WorkspaceConfig;

// --pushgateway for this process; an empty URL clears it.
void set_pushgateway_override(const std::string& url);

// The gateway the rules above choose, normalised by pushgateway_base_url; empty when none
// is configured. Throws archml::Error (invalid input) for a malformed URL.
std::string configured_pushgateway(const WorkspaceConfig& config);

// "host:9091" -> "http://host:9091", without a trailing '/'. Throws archml::Error
// (invalid input) for a scheme other than http or https, or an empty host.
std::string pushgateway_base_url(std::string_view url);

}  // namespace archml::track
