// The Prometheus Pushgateway's HTTP client (docs/monitoring.md), beside the S3 store's:
// a gateway's base URL, the URL of a grouping key and one PUT of a text-format body. A PUT
// replaces every metric of its group, so a pusher always sends its whole current state.
// Which gateway to push to is the workspace's choice (track::Workspace::pushgateway_url).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "archml/core/prometheus_text.h"

namespace archml::store {

// "host:9091" -> "http://host:9091", without a trailing '/'. Throws archml::Error
// (invalid input) for a scheme other than http or https, or an empty host.
std::string pushgateway_base_url(std::string_view url);

// A grouping key: the `job` label and further labels (instance, experiment, run ...).
struct PushGroup {
  std::string job;
  std::vector<core::PrometheusLabel> labels;
};

// BASE/metrics/job/JOB/NAME/VALUE/...; a value holding anything but letters, digits and
// "-._~" is sent as NAME@base64/<RFC 4648 URL-safe base64>, an empty one as NAME@base64/=,
// as the Pushgateway reads them.
std::string pushgateway_group_url(std::string_view base_url, const PushGroup& group);

// PUTs `body` (Prometheus text format) to a group URL. Throws archml::Error (I/O) naming
// the URL and the failure: no connection, timeout, or the gateway's status and message.
void pushgateway_put(const std::string& group_url, const std::string& body,
                     std::chrono::milliseconds timeout);

}  // namespace archml::store
