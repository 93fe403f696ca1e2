// `archml serve --model BUNDLE`: the real-time inference endpoint under SageMaker's
// XGBoost container contract (see docs/serve.md). This file parses the flags, wires
// signals (SIGTERM/SIGINT stop gracefully, SIGHUP reloads the model) and prints the URL;
// the endpoint itself is archml/serve/endpoint.h.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "archml/core/error.h"
#include "archml/jobs/artifact_upload.h"
#include "archml/serve/capture_upload.h"
#include "archml/serve/endpoint.h"
#include "archml/serve/http_server.h"
#include "archml/serve/model_source.h"
#include "archml/track/model_uri.h"
#include "archml/track/workspace.h"
#include "cli/commands.h"
#include "cli/run_flags.h"

namespace archml::cli {
namespace {

struct ServeFlags {
  std::string model;
  std::string host = "127.0.0.1";
  int port = 8080;
  unsigned workers = 0;
  std::string content_type = "text/csv";
  std::string output;
  double max_payload_mb = 6;
  std::string token;
  std::string capture_dir;
  std::string capture_uri;
  bool capture_keep_local = false;
  double capture_percent = 100;
  std::string endpoint_name;
  bool prepared = false;
  std::string access_log = "-";
  double grace_seconds = 10;
  int busy_poll_us = 50;
  double registry_poll_seconds = 5;
  double header_timeout_seconds = 10;
  double body_timeout_seconds = 30;
  double idle_timeout_seconds = 60;
  std::size_t max_connections = 0;
};

std::chrono::milliseconds timeout_of(double seconds, const char* flag) {
  if (!(seconds > 0) || seconds > 86400)
    throw_invalid(std::string(flag) + " must be > 0 and at most 86400 (a day)");
  return std::chrono::milliseconds(static_cast<long>(std::ceil(seconds * 1000)));
}

void run_serve(const jobs::JobContext& context, const ServeFlags& flags) {
  serve::HttpTimeouts timeouts;
  timeouts.header = timeout_of(flags.header_timeout_seconds, "--header-timeout-seconds");
  timeouts.body = timeout_of(flags.body_timeout_seconds, "--body-timeout-seconds");
  timeouts.idle = timeout_of(flags.idle_timeout_seconds, "--idle-timeout-seconds");
  serve::EndpointOptions options;
  // A models:/ URI is resolved again on every reload, so a reload follows its alias.
  std::optional<track::ModelUri> registered;
  if (track::is_model_uri(flags.model)) {
    registered = track::parse_model_uri(flags.model);
    options.locate = serve::registry_locator(context, *registered);
  } else {
    options.model = jobs::fetch_bundle(context, flags.model);
  }
  if (!(flags.registry_poll_seconds >= 0)) throw_invalid("--registry-poll-seconds must be >= 0");
  options.prepared = flags.prepared;
  options.outputs = flags.output;
  const auto accept = serve::response_format_of(flags.content_type);
  if (!accept)
    throw_invalid(
        "--content-type takes text/csv, application/json or application/jsonlines; got '" +
        flags.content_type + "'");
  options.default_accept = *accept;
  options.token = flags.token;
  if (options.token.empty())
    if (const char* token = std::getenv("ARCHML_SERVE_TOKEN")) options.token = token;
  if (!(flags.max_payload_mb > 0)) throw_invalid("--max-payload-mb must be > 0");
  options.max_payload_bytes = static_cast<std::size_t>(flags.max_payload_mb * 1024 * 1024);
  options.workers = flags.workers > 0 ? flags.workers : context.threads;
  options.threads = context.threads;
  if (!flags.capture_dir.empty()) {
    serve::CaptureOptions capture;
    capture.root = flags.capture_dir;
    capture.percent = flags.capture_percent;
    std::string upload_uri = flags.capture_uri;
    if (upload_uri.empty()) {
      const auto workspace = track::Workspace::open(context.workspace);
      if (workspace.artifacts_configured()) upload_uri = workspace.artifacts_uri() + "/capture";
    }
    if (!upload_uri.empty())
      capture.on_file_finished = serve::capture_uploader(upload_uri, context.store, capture.root,
                                                         flags.capture_keep_local);
    options.capture = capture;
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> log_file(nullptr, std::fclose);
  if (flags.access_log == "-") {
    options.access_log = stderr;
  } else if (flags.access_log != "off") {
    log_file.reset(std::fopen(flags.access_log.c_str(), "a"));
    if (!log_file) throw_io("--access-log " + flags.access_log + ": " + std::strerror(errno));
    options.access_log = log_file.get();
  }
  options.error_log = stderr;

  // Signals go to one thread that waits for them; every other thread blocks them. The
  // mask is set before any thread starts so the threads inherit it.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const auto load_start = std::chrono::steady_clock::now();
  if (options.capture && flags.endpoint_name.empty()) {
    // The capture layout names the endpoint; by default after the model (or its group).
    options.capture->endpoint =
        registered ? registered->group : serve::ServingModel::load(options.model)->name();
  } else if (options.capture) {
    options.capture->endpoint = flags.endpoint_name;
  }
  serve::Endpoint endpoint(options);
  serve::HttpServerOptions server_options;
  server_options.host = flags.host;
  server_options.port = flags.port;
  server_options.workers = options.workers;
  server_options.limits.max_body_bytes = options.max_payload_bytes;
  server_options.grace = std::chrono::milliseconds(static_cast<long>(flags.grace_seconds * 1000));
  server_options.busy_poll = std::chrono::microseconds(flags.busy_poll_us);
  server_options.timeouts = timeouts;
  server_options.max_connections = flags.max_connections;
  server_options.hooks = endpoint.hooks();
  serve::HttpServer server(server_options, [&endpoint](const auto& request, auto& response) {
    endpoint.handle(request, response);
  });
  const auto model = endpoint.model();
  std::printf("archml serve: model %s (version %s, %s) loaded in %.2f s; %u worker(s)\n",
              model->name().c_str(), model->version().c_str(),
              model->native() ? "native tree evaluator" : "XGBoost predictor",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count(),
              options.workers);
  std::printf(
      "archml serve: limits: %zu connections; timeouts: headers %g s, body %g s, idle %g s\n",
      server.max_connections(), flags.header_timeout_seconds, flags.body_timeout_seconds,
      flags.idle_timeout_seconds);
  std::optional<serve::RegistryFollower> follower;
  if (registered) {
    const bool follows = registered->moves() && flags.registry_poll_seconds > 0;
    std::printf("archml serve: %s is %s version %lld", registered->text().c_str(),
                registered->group.c_str(), static_cast<long long>(endpoint.location().version));
    if (follows) std::printf("; following it every %g s", flags.registry_poll_seconds);
    std::printf("\n");
    if (follows)
      follower.emplace(
          endpoint, *registered, track::Workspace::open_existing(context.workspace).catalog(),
          std::chrono::milliseconds(static_cast<long>(flags.registry_poll_seconds * 1000)), stderr);
  }
  const bool ipv6 = flags.host.find(':') != std::string::npos;
  std::printf("archml serve: listening on http://%s%s%s:%d (POST /invocations, GET /ping)\n",
              ipv6 ? "[" : "", flags.host.c_str(), ipv6 ? "]" : "", server.port());
  std::fflush(stdout);

  std::atomic<bool> done{false};
  std::thread signal_thread([&] {
    const timespec poll{0, 200 * 1000 * 1000};
    while (!done.load()) {
      const int signal = sigtimedwait(&signals, nullptr, &poll);
      if (signal == SIGHUP) {
        try {
          endpoint.reload();
          std::fprintf(stderr, "archml serve: SIGHUP: reloaded %s (version %s)\n",
                       endpoint.model()->name().c_str(), endpoint.model()->version().c_str());
        } catch (const Error& error) {
          std::fprintf(stderr, "archml serve: SIGHUP: reload failed, still serving: %s\n",
                       error.what());
        }
      } else if (signal == SIGTERM || signal == SIGINT) {
        std::fprintf(stderr, "archml serve: %s: finishing requests in flight, then exiting\n",
                     signal == SIGTERM ? "SIGTERM" : "SIGINT");
        server.stop();
        return;
      }
    }
  });
  try {
    server.run();
  } catch (...) {
    done = true;
    signal_thread.join();
    throw;
  }
  done = true;
  signal_thread.join();
  std::fprintf(stderr, "archml serve: stopped\n");
}

}  // namespace

void add_serve_command(CLI::App& app, const jobs::JobContext& context) {
  auto flags = std::make_shared<ServeFlags>();
  auto* command = app.add_subcommand(
      "serve",
      "Serve a model over HTTP: SageMaker's real-time inference contract.\n\n"
      "Real-time inference endpoint speaking SageMaker's XGBoost container contract, so\n"
      "clients written for a SageMaker endpoint work unchanged (see docs/serve.md):\n"
      "  GET /ping, GET /execution-parameters, POST /invocations, GET /metrics,\n"
      "  POST /admin/reload.\n"
      "/invocations takes text/csv (one raw row per line as in the training data, without\n"
      "the target; or only the columns the recipe reads), text/libsvm (prepared features),\n"
      "application/json ({\"instances\": [...]} of objects keyed by column, or arrays) and\n"
      "application/jsonlines. It answers per Accept: text/csv, application/json\n"
      "({\"predictions\": [{\"score\": ...}]}) or application/jsonlines. Rows go through the\n"
      "bundle's fitted recipe, so scores equal `archml predict` on the same rows.\n\n"
      "Status codes: 204 empty body, 400 rows that cannot be scored (naming row and\n"
      "column), 401 bad token, 406 unsupported Accept, 408 request not received within\n"
      "its timeout, 413 body over --max-payload-mb, 415 unsupported Content-Type, 431\n"
      "headers over 16 KiB, 503 over --max-connections.\n\n"
      "Limits, so no client can take the endpoint down: --header-timeout-seconds,\n"
      "--body-timeout-seconds, --idle-timeout-seconds, --max-connections; at the\n"
      "open-file limit waiting connections are refused (503) and accepting pauses\n"
      "for 100 ms instead of spinning.\n\n"
      "SIGTERM or SIGINT: stop listening (new connections are refused), finish requests\n"
      "in flight, exit 0. SIGHUP or POST /admin/reload: load the model path again and\n"
      "swap it in without dropping requests. With --model models:/GROUP@ALIAS the endpoint\n"
      "follows the alias: when 'archml models alias' moves it, the new version is swapped\n"
      "in the same way.\n\n"
      "Examples:\n"
      "  archml serve --model runs/fraud --port 8080\n"
      "  curl -s -H 'Content-Type: text/csv' --data-binary \\\n"
      "      '1,TRANSFER,181.0,C1305486145,181.0,0.0,C553264065,0.0,0.0,0' \\\n"
      "      http://127.0.0.1:8080/invocations\n"
      "  archml serve --model models:/fraud@production --registry-poll-seconds 2\n"
      "  archml serve --model runs/fraud --output predicted_label,probability \\\n"
      "      --capture-dir captures --capture-percent 10 --token \"$TOKEN\"");
  command->add_option("-m,--model", flags->model, kModelFlagHelp)->required();
  command
      ->add_option("--registry-poll-seconds", flags->registry_poll_seconds,
                   "With --model models:/GROUP@ALIAS (or @latest-approved): how often to ask\n"
                   "the catalog which version the alias names; when it moves, the new\n"
                   "version is swapped in without dropping requests. 0: never (SIGHUP or\n"
                   "POST /admin/reload still resolve the alias again)")
      ->capture_default_str();
  command->add_option("--host", flags->host, "Address to listen on")->capture_default_str();
  command->add_option("--port", flags->port, "Port to listen on (0: any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  command->add_option("--workers", flags->workers,
                      "Worker threads, each serving its own connections (default: --threads,\n"
                      "ARCHML_THREADS, or the number of cores)");
  command
      ->add_option("--content-type", flags->content_type,
                   "Response type when Accept is empty or */*: text/csv, application/json\n"
                   "or application/jsonlines")
      ->capture_default_str();
  command->add_option(
      "--output", flags->output,
      "Selectable outputs, as SAGEMAKER_INFERENCE_OUTPUT: a comma list of predicted_label\n"
      "(at the bundle's cost-optimal cutoff), probability, probabilities, raw_score.\n"
      "Default: the model's prediction alone (SageMaker's default), e.g. P(positive)");
  command
      ->add_option("--max-payload-mb", flags->max_payload_mb,
                   "Largest request body in MiB; larger ones get 413")
      ->capture_default_str();
  command->add_option("--token", flags->token,
                      "Bearer token required by /invocations and /admin/reload\n"
                      "(default: ARCHML_SERVE_TOKEN, else none)");
  command->add_option("--capture-dir", flags->capture_dir,
                      "Data capture: append requests and responses in SageMaker's capture\n"
                      "format to hourly files DIR/<endpoint>/AllTraffic/yyyy/mm/dd/hh/");
  command
      ->add_option("--capture-percent", flags->capture_percent,
                   "Percentage of /invocations requests captured")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 100.0));
  command->add_option("--capture-uri", flags->capture_uri,
                      "Upload each finished capture file (hourly, and the last one at exit)\n"
                      "to this store, e.g. s3://bucket/capture, then delete it locally\n"
                      "(default: ARTIFACTS/capture when --artifacts, ARCHML_ARTIFACTS or the\n"
                      "workspace config names a store; else files stay local)");
  command->add_flag("--capture-keep-local", flags->capture_keep_local,
                    "Keep capture files in --capture-dir after uploading them");
  command->add_option("--endpoint-name", flags->endpoint_name,
                      "Endpoint name in the capture layout (default: the model's name)");
  command->add_flag("--prepared", flags->prepared,
                    "/invocations takes rows already prepared by the recipe (the features,\n"
                    "in the bundle's feature order) instead of raw rows");
  command
      ->add_option("--access-log", flags->access_log,
                   "Structured access log, one JSON line per request: '-' (stderr), a file,\n"
                   "or 'off'")
      ->capture_default_str();
  command
      ->add_option("--grace-seconds", flags->grace_seconds,
                   "On SIGTERM, how long to wait for requests still arriving")
      ->capture_default_str();
  command
      ->add_option("--header-timeout-seconds", flags->header_timeout_seconds,
                   "A request's headers must arrive within this long of its first byte (or\n"
                   "of the connection's opening); else 408 and the connection closes")
      ->capture_default_str();
  command
      ->add_option("--body-timeout-seconds", flags->body_timeout_seconds,
                   "A request's body must arrive within this long of its headers; else 408\n"
                   "and the connection closes")
      ->capture_default_str();
  command
      ->add_option("--idle-timeout-seconds", flags->idle_timeout_seconds,
                   "A keep-alive connection with no request for this long closes, as does\n"
                   "one whose client reads none of its answers for this long")
      ->capture_default_str();
  command
      ->add_option("--max-connections", flags->max_connections,
                   "Connections open at once; one more gets 503 and is closed (0: the\n"
                   "open-file limit less 64 kept for the server, at most 10000)")
      ->capture_default_str();
  command
      ->add_option("--busy-poll-us", flags->busy_poll_us,
                   "After answering, a worker keeps polling its connections this many\n"
                   "microseconds before it sleeps, so a client's next request is read at\n"
                   "once instead of after a thread wake-up (tens of microseconds on a VM).\n"
                   "Costs CPU: a worker spins for this long after each burst of requests,\n"
                   "so one steady client keeps one core busy. 0 disables it")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  command->callback([flags, &context] { run_serve(context, *flags); });
}

}  // namespace archml::cli
