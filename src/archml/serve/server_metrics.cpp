#include "archml/serve/server_metrics.h"

#include <algorithm>

#include "archml/core/prometheus_text.h"
#include "archml/core/resources.h"

namespace archml::serve {

void ServerMetrics::record_status(int status) {
  if (status >= 0 && status < static_cast<int>(by_status_.size()))
    by_status_[static_cast<std::size_t>(status)].fetch_add(1, std::memory_order_relaxed);
}

void ServerMetrics::add_connection_event(ConnectionEvent event) {
  connection_events_[static_cast<std::size_t>(event)].fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t ServerMetrics::connection_events(ConnectionEvent event) const {
  return connection_events_[static_cast<std::size_t>(event)].load(std::memory_order_relaxed);
}

void ServerMetrics::record_request(int status, std::chrono::nanoseconds latency) {
  record_status(status);
  const double seconds = std::chrono::duration<double>(latency).count();
  const std::size_t bucket = static_cast<std::size_t>(
      std::lower_bound(kBounds.begin(), kBounds.end(), seconds) - kBounds.begin());
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  latency_ns_sum_.fetch_add(static_cast<std::uint64_t>(latency.count()), std::memory_order_relaxed);
}

void ServerMetrics::add_reload(bool ok) {
  (ok ? reloads_ok_ : reloads_failed_).fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t ServerMetrics::requests(int status) const {
  return by_status_.at(static_cast<std::size_t>(status)).load(std::memory_order_relaxed);
}

void ServerMetrics::render_connections(core::PrometheusWriter& writer) const {
  const auto count = [this](ConnectionEvent event) {
    return static_cast<double>(connection_events(event));
  };
  writer.gauge("archml_serve_open_connections", "Client connections open now.",
               {{{}, count(ConnectionEvent::kOpened) - count(ConnectionEvent::kClosed)}});
  writer.counter("archml_serve_connections_total", "Client connections accepted and served.",
                 {{{}, count(ConnectionEvent::kOpened)}});
  writer.counter(
      "archml_serve_connections_refused_total",
      "Connections answered 503 and closed: over --max-connections, or at the open-file limit.",
      {{{{"reason", "connection_limit"}}, count(ConnectionEvent::kRefusedAtLimit)},
       {{{"reason", "file_limit"}}, count(ConnectionEvent::kRefusedAtFileLimit)}});
  writer.counter("archml_serve_connections_timed_out_total",
                 "Connections closed by a timeout, by what they were waiting for.",
                 {{{{"phase", "header"}}, count(ConnectionEvent::kHeaderTimeout)},
                  {{{"phase", "body"}}, count(ConnectionEvent::kBodyTimeout)},
                  {{{"phase", "idle"}}, count(ConnectionEvent::kIdleTimeout)},
                  {{{"phase", "send"}}, count(ConnectionEvent::kSendTimeout)}});
}

std::string ServerMetrics::render(const Extra& extra) const {
  core::PrometheusWriter writer;
  std::vector<core::PrometheusSample> statuses;
  for (std::size_t code = 0; code < by_status_.size(); ++code)
    if (const auto count = by_status_[code].load(std::memory_order_relaxed))
      statuses.push_back({{{"code", std::to_string(code)}}, static_cast<double>(count)});
  writer.counter("archml_serve_requests_total", "HTTP requests answered, by status code.",
                 statuses);
  core::PrometheusHistogram latency;
  latency.upper_bounds.assign(kBounds.begin(), kBounds.end());
  for (const auto& bucket : buckets_)
    latency.bucket_counts.push_back(bucket.load(std::memory_order_relaxed));
  latency.sum = static_cast<double>(latency_ns_sum_.load(std::memory_order_relaxed)) * 1e-9;
  writer.histogram("archml_serve_request_duration_seconds",
                   "Time from a complete request to its response, in seconds.", {latency});
  writer.counter("archml_serve_rows_scored_total", "Rows scored by /invocations.",
                 {{{}, static_cast<double>(rows_scored_.load(std::memory_order_relaxed))}});
  writer.counter(
      "archml_serve_model_reloads_total", "Model hot swaps, by outcome.",
      {{{{"outcome", "ok"}}, static_cast<double>(reloads_ok_.load(std::memory_order_relaxed))},
       {{{"outcome", "failed"}},
        static_cast<double>(reloads_failed_.load(std::memory_order_relaxed))}});
  writer.gauge("archml_serve_model_info", "The model being served (value is always 1).",
               {{{{"name", extra.model_name}, {"version", extra.model_version}}, 1}});
  if (!extra.registry_group.empty())
    writer.gauge("archml_serve_registry_model_info",
                 "The registered model version being served, and the models:/ URI that named "
                 "it (value is always 1).",
                 {{{{"group", extra.registry_group},
                    {"version", std::to_string(extra.registry_version)},
                    {"uri", extra.registry_uri}},
                   1}});
  writer.counter("archml_serve_capture_records_total",
                 "Data capture records: written, dropped because the queue was full, or failed "
                 "because the file could not be written.",
                 {{{{"outcome", "written"}}, static_cast<double>(extra.capture_written)},
                  {{{"outcome", "dropped"}}, static_cast<double>(extra.capture_dropped)},
                  {{{"outcome", "failed"}}, static_cast<double>(extra.capture_failed)}});
  render_connections(writer);
  writer.gauge("process_resident_memory_bytes", "Resident memory of the process, in bytes.",
               {{{}, static_cast<double>(core::current_rss_bytes())}});
  return writer.text();
}

}  // namespace archml::serve
