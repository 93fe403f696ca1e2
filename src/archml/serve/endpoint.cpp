#include "archml/serve/endpoint.h"

#include <chrono>
#include <ctime>

#include <nlohmann/json.hpp>

#include "archml/core/error.h"
#include "archml/core/prometheus_text.h"
#include "archml/serve/request_decoding.h"
#include "archml/serve/utc_time.h"

namespace archml::serve {
namespace {

void answer(HttpResponse& response, int status, std::string message) {
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(message);
  response.body += '\n';
}

// Compares in time independent of where the texts differ.
bool same_secret(std::string_view a, std::string_view b) {
  unsigned char difference = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i)
    difference |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return difference == 0;
}

}  // namespace

Endpoint::Endpoint(EndpointOptions options) : options_(std::move(options)) {
  loaded_ = load();
  if (options_.capture) capture_ = std::make_unique<DataCapture>(*options_.capture);
}

Endpoint::Loaded Endpoint::load() const {
  Loaded loaded;
  loaded.location = std::make_shared<const ModelLocation>(
      options_.locate ? options_.locate() : ModelLocation{options_.model, {}, {}, 0});
  loaded.model = ServingModel::load(loaded.location->directory, options_.threads);
  loaded.keys = parse_output_keys(options_.outputs, loaded.model->predictor().kind());
  return loaded;
}

Endpoint::Loaded Endpoint::current() const {
  std::lock_guard lock(model_mutex_);
  return loaded_;
}

std::shared_ptr<const ServingModel> Endpoint::model() const {
  return current().model;
}

ModelLocation Endpoint::location() const {
  return *current().location;
}

void Endpoint::reload() {
  std::lock_guard reloading(reload_mutex_);
  try {
    Loaded fresh = load();
    std::lock_guard lock(model_mutex_);
    loaded_ = std::move(fresh);
  } catch (...) {
    metrics_.add_reload(false);
    throw;
  }
  metrics_.add_reload(true);
}

void Endpoint::handle(const HttpRequest& request, HttpResponse& response) {
  const auto start = std::chrono::steady_clock::now();
  std::size_t rows = 0;
  try {
    route(request, response, rows);
  } catch (const Error& error) {
    response = HttpResponse{};
    const bool client =
        error.kind() == ErrorKind::kInvalidInput || error.kind() == ErrorKind::kNotFound;
    answer(response, client ? 400 : 500, error.what());
  } catch (const std::exception& error) {
    // Not archml's: its text is for the operator, not the client.
    response = HttpResponse{};
    answer(response, 500, "internal error: the request failed on a bug in the server");
    log_error(request, error.what());
  }
  const auto latency = std::chrono::steady_clock::now() - start;
  metrics_.record_request(response.status, latency);
  if (options_.access_log != nullptr) log_access(request, response, rows, latency);
}

void Endpoint::route(const HttpRequest& request, HttpResponse& response, std::size_t& rows) {
  const std::string_view path = request.path();
  const bool get = request.method == "GET";
  const bool post = request.method == "POST";
  if (path == "/invocations") {
    if (!post) return answer(response, 405, "use POST /invocations");
    return invocations(request, response, rows);
  }
  if (path == "/ping") {
    if (!get) return answer(response, 405, "use GET /ping");
    response.status = 200;
    return;
  }
  if (path == "/execution-parameters") {
    if (!get) return answer(response, 405, "use GET /execution-parameters");
    const nlohmann::json parameters = {
        {"MaxConcurrentTransforms", options_.workers},
        {"BatchStrategy", "MULTI_RECORD"},
        {"MaxPayloadInMB", std::max<std::size_t>(1, options_.max_payload_bytes / (1024 * 1024))}};
    response.content_type = "application/json";
    response.body = parameters.dump();
    return;
  }
  if (path == "/metrics") {
    if (!get) return answer(response, 405, "use GET /metrics");
    const Loaded loaded = current();
    ServerMetrics::Extra extra;
    extra.model_name = loaded.model->name();
    extra.model_version = loaded.model->version();
    extra.registry_uri = loaded.location->uri;
    extra.registry_group = loaded.location->group;
    extra.registry_version = loaded.location->version;
    if (capture_) {
      extra.capture_written = capture_->written();
      extra.capture_dropped = capture_->dropped();
      extra.capture_failed = capture_->failed();
    }
    response.content_type = std::string(core::PrometheusWriter::kContentType);
    response.body = metrics_.render(extra);
    return;
  }
  if (path == "/admin/reload") {
    if (!post) return answer(response, 405, "use POST /admin/reload");
    if (!authorized(request, response)) return;
    try {
      reload();
    } catch (const Error& error) {
      return answer(response, 500,
                    std::string("reload failed, still serving the previous "
                                "model: ") +
                        error.what());
    }
    const Loaded loaded = current();
    nlohmann::json body = {{"model", loaded.model->name()}, {"version", loaded.model->version()}};
    if (!loaded.location->uri.empty())
      body["registry"] = {{"uri", loaded.location->uri},
                          {"group", loaded.location->group},
                          {"version", loaded.location->version}};
    response.content_type = "application/json";
    response.body = body.dump();
    return;
  }
  answer(response, 404,
         "no route " + std::string(path) +
             "; the endpoint serves /ping, /invocations, /execution-parameters, /metrics and "
             "/admin/reload");
}

bool Endpoint::authorized(const HttpRequest& request, HttpResponse& response) const {
  if (options_.token.empty()) return true;
  const auto header = request.header("Authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (header && header->size() > kScheme.size() &&
      equals_ignoring_case(header->substr(0, kScheme.size()), kScheme) &&
      same_secret(header->substr(kScheme.size()), options_.token))
    return true;
  answer(response, 401, "missing or wrong bearer token (Authorization: Bearer TOKEN)");
  response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return false;
}

void Endpoint::invocations(const HttpRequest& request, HttpResponse& response, std::size_t& rows) {
  if (!authorized(request, response)) return;
  const std::string_view content_type = request.header("Content-Type").value_or("");
  const auto body_format = body_format_of(content_type);
  if (!body_format)
    return answer(response, 415,
                  "Content-Type '" + std::string(content_type) +
                      "' is not supported; send text/csv, text/libsvm, application/json or "
                      "application/jsonlines");
  const auto format =
      negotiate_accept(request.header("Accept").value_or(""), options_.default_accept);
  if (!format)
    return answer(response, 406,
                  "Accept '" + std::string(request.header("Accept").value_or("")) +
                      "' is not supported; accept text/csv, application/json or "
                      "application/jsonlines");
  const Loaded loaded = current();
  const DecodedRows decoded =
      decode_rows(*body_format, request.body, *loaded.model, options_.prepared);
  if (decoded.count == 0) {
    response.status = 204;
    return;
  }
  const model::Predictions predictions =
      decoded.prepared ? loaded.model->score_features(decoded.features, decoded.count)
                       : loaded.model->score_text(decoded.columns, decoded.fields);
  rows = predictions.rows;
  metrics_.add_rows(rows);
  response.content_type = std::string(content_type_of(*format));
  response.body =
      encode_predictions(predictions, loaded.model->predictor().classes(), loaded.keys, *format);
  if (capture_ && capture_->sample()) {
    const auto inference_id = request.header("X-Amzn-SageMaker-Inference-Id");
    capture_->submit({request.body, content_type.empty() ? "text/csv" : content_type, response.body,
                      response.content_type, std::chrono::system_clock::now(),
                      inference_id.value_or(std::string_view())});
  }
}

HttpServerHooks Endpoint::hooks() {
  HttpServerHooks hooks;
  hooks.on_own_answer = [this](const HttpRequest& request, const HttpResponse& response,
                               std::string_view detail) {
    metrics_.record_status(response.status);
    if (!detail.empty()) log_error(request, detail);
    if (options_.access_log != nullptr)
      log_access(request, response, 0, std::chrono::nanoseconds::zero());
  };
  hooks.on_connection_event = [this](ConnectionEvent event) {
    metrics_.add_connection_event(event);
  };
  return hooks;
}

void Endpoint::log_error(const HttpRequest& request, std::string_view detail) {
  if (options_.error_log == nullptr) return;
  std::lock_guard lock(log_mutex_);
  std::fprintf(options_.error_log, "archml serve: internal error on %.*s %.*s: %.*s\n",
               static_cast<int>(request.method.size()), request.method.data(),
               static_cast<int>(request.path().size()), request.path().data(),
               static_cast<int>(detail.size()), detail.data());
  std::fflush(options_.error_log);
}

void Endpoint::log_access(const HttpRequest& request, const HttpResponse& response,
                          std::size_t rows, std::chrono::nanoseconds latency) {
  nlohmann::json line = {
      {"time", iso8601_utc(std::chrono::system_clock::now())},
      {"method", request.method},
      {"path", request.path()},
      {"status", response.status},
      {"rows", rows},
      {"request_bytes", request.body.size()},
      {"response_bytes", response.body.size()},
      {"duration_us", std::chrono::duration<double, std::micro>(latency).count()}};
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(log_mutex_);
  std::fwrite(text.data(), 1, text.size(), options_.access_log);
  std::fflush(options_.access_log);
}

}  // namespace archml::serve
