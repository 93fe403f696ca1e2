// The inference endpoint: SageMaker's XGBoost container contract over HttpServer.
//   GET  /ping                  200 once the model is loaded
//   GET  /execution-parameters  what SageMaker batch transform asks a container
//   POST /invocations           rows in (request_decoding.h), predictions out
//                               (response_encoding.h); bearer token when configured
//   GET  /metrics               Prometheus text (server_metrics.h)
//   POST /admin/reload          hot swap: reloads the model (token-protected)
// Status codes: 204 empty body, 400 rows that cannot be scored (message names row and
// column), 401 missing or wrong token, 404/405 unknown route or method, 406 unsupported
// Accept, 413 body over the limit (the server), 415 unsupported Content-Type, 500 a bug
// (any other exception: the client gets a fixed text, the operator's log the exception's).
// Request errors are answered, never thrown: the boundary between archml::Error and HTTP
// is here. hooks() connects the server's own answers (400/411/413/417/431/505 from the
// parser, 408 timeouts, 503 refusals) and connection events to the same metrics and
// access log as every other answer.
//
// reload() locates the model again (EndpointOptions::locate; a models:/ alias may have
// moved) and swaps it in atomically: requests already running finish on the model they
// started with; a model that fails to load leaves the current one serving.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "archml/serve/data_capture.h"
#include "archml/serve/http_server.h"
#include "archml/serve/response_encoding.h"
#include "archml/serve/server_metrics.h"
#include "archml/serve/serving_model.h"

namespace archml::serve {

// Where the model comes from. A model from the registry (a models:/ URI) also names its
// group and version, which /metrics reports (archml_serve_registry_model_info).
struct ModelLocation {
  std::filesystem::path directory;
  std::string uri;  // as given, e.g. "models:/fraud@production"; empty: not from the registry
  std::string group;
  std::int64_t version = 0;
};
// Resolves the model location again: called at start and on every reload, so a reload
// follows an alias that moved. Throws archml::Error when it cannot.
using ModelLocator = std::function<ModelLocation()>;

struct EndpointOptions {
  std::filesystem::path model;  // used when `locate` is empty
  ModelLocator locate;
  bool prepared = false;  // /invocations takes the recipe's output, not raw rows
  std::string outputs;    // "predicted_label,probability"...; empty = score
  ResponseFormat default_accept = ResponseFormat::kCsv;
  std::string token;  // bearer token for /invocations and /admin; empty = none
  std::size_t max_payload_bytes = 6 * 1024 * 1024;
  unsigned workers = 1;  // reported by /execution-parameters
  unsigned threads = 0;  // a request's recipe transform (JobContext::threads); 0 = every core
  std::optional<CaptureOptions> capture;
  std::FILE* access_log = nullptr;  // one JSON line per request; null = none
  std::FILE* error_log = nullptr;   // what a 500 was about, for the operator; null = none
};

class Endpoint {
 public:
  // Loads the model; throws archml::Error as Bundle::load does, or for bad --output.
  explicit Endpoint(EndpointOptions options);

  void handle(const HttpRequest& request, HttpResponse& response);
  // For HttpServerOptions::hooks: counts and logs what the server answers and does itself.
  HttpServerHooks hooks();
  // Loads the model path again and swaps it in; throws archml::Error (the old model keeps
  // serving) when the new one cannot be loaded.
  void reload();

  std::shared_ptr<const ServingModel> model() const;
  // Where the model serving now came from.
  ModelLocation location() const;
  const ServerMetrics& metrics() const { return metrics_; }

 private:
  struct Loaded {
    // Shared, so a request's copy of Loaded stays a few reference counts.
    std::shared_ptr<const ModelLocation> location;
    std::shared_ptr<const ServingModel> model;
    std::vector<OutputKey> keys;
  };
  Loaded load() const;
  Loaded current() const;

  void route(const HttpRequest& request, HttpResponse& response, std::size_t& rows);
  void invocations(const HttpRequest& request, HttpResponse& response, std::size_t& rows);
  bool authorized(const HttpRequest& request, HttpResponse& response) const;
  void log_access(const HttpRequest& request, const HttpResponse& response, std::size_t rows,
                  std::chrono::nanoseconds latency);
  void log_error(const HttpRequest& request, std::string_view detail);

  EndpointOptions options_;
  std::mutex reload_mutex_;  // one reload at a time (a locator may download to one folder)
  mutable std::mutex model_mutex_;
  Loaded loaded_;
  std::unique_ptr<DataCapture> capture_;
  ServerMetrics metrics_;
  std::mutex log_mutex_;
};

}  // namespace archml::serve
