// The endpoint's counters, updated lock-free from the request threads and rendered as
// Prometheus text for GET /metrics: requests by status code, a latency histogram, rows
// scored, model reloads, capture records written, dropped and failed, connections (open,
// opened, refused, timed out), the model's name and version (and its registry group and
// version when served from a models:/ URI), and the process's resident memory.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "archml/serve/http_server.h"

namespace archml::core {
class PrometheusWriter;
}

namespace archml::serve {

class ServerMetrics {
 public:
  void record_request(int status, std::chrono::nanoseconds latency);
  // An answer with no handler time to measure (the server's own: 408, 431, 503...).
  void record_status(int status);
  void add_connection_event(ConnectionEvent event);
  void add_rows(std::uint64_t rows) { rows_scored_.fetch_add(rows, std::memory_order_relaxed); }
  void add_reload(bool ok);

  struct Extra {
    std::string model_name;
    std::string model_version;
    // A model from the registry: the URI served and the group and version it names.
    std::string registry_uri;
    std::string registry_group;
    std::int64_t registry_version = 0;
    std::uint64_t capture_written = 0;
    std::uint64_t capture_dropped = 0;
    std::uint64_t capture_failed = 0;
  };
  std::string render(const Extra& extra) const;

  std::uint64_t requests(int status) const;
  std::uint64_t connection_events(ConnectionEvent event) const;

 private:
  void render_connections(core::PrometheusWriter& writer) const;

  static constexpr std::array<double, 14> kBounds = {
      25e-6, 50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3, 0.1, 0.5, 1};

  std::array<std::atomic<std::uint64_t>, 600> by_status_{};
  std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> buckets_{};
  std::atomic<std::uint64_t> latency_ns_sum_{0};
  std::atomic<std::uint64_t> rows_scored_{0};
  std::atomic<std::uint64_t> reloads_ok_{0};
  std::atomic<std::uint64_t> reloads_failed_{0};
  std::array<std::atomic<std::uint64_t>,
             static_cast<std::size_t>(ConnectionEvent::kSendTimeout) + 1>
      connection_events_{};
};

}  // namespace archml::serve
