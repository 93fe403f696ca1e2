// `archml metrics-server`: the workspace's catalog as a Prometheus scrape target
// (docs/monitoring.md). This file parses the flags and waits for SIGTERM/SIGINT; the page
// itself is archml/serve/catalog_exporter.h.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "archml/serve/catalog_exporter.h"
#include "archml/serve/http_server.h"
#include "cli/catalog_output.h"
#include "cli/commands.h"

namespace archml::cli {
namespace {

struct MetricsServerFlags {
  std::string host = "127.0.0.1";
  int port = 9464;
  std::int64_t recent_jobs = 100;
};

void run_metrics_server(const jobs::JobContext& context, const MetricsServerFlags& flags) {
  // Signals go to this thread alone: block them before the server's threads start, so
  // they inherit the mask, and take them with sigwait below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto catalog = watch_catalog(context);
  serve::CatalogExporter exporter(catalog, {flags.recent_jobs});
  serve::HttpServerOptions options;
  options.host = flags.host;
  options.port = flags.port;
  options.grace = std::chrono::milliseconds(2000);
  serve::HttpServer server(options, [&exporter](const auto& request, auto& response) {
    exporter.handle(request, response);
  });
  const bool ipv6 = flags.host.find(':') != std::string::npos;
  std::printf("archml metrics-server: catalog %s on http://%s%s%s:%d/metrics\n",
              catalog->path().c_str(), ipv6 ? "[" : "", flags.host.c_str(), ipv6 ? "]" : "",
              server.port());
  std::fflush(stdout);

  std::thread serving([&server] { server.run(); });
  int signal = 0;
  sigwait(&signals, &signal);
  std::fprintf(stderr, "archml metrics-server: %s: stopping\n",
               signal == SIGTERM ? "SIGTERM" : "SIGINT");
  server.stop();
  serving.join();
}

}  // namespace

void add_metrics_server_command(CLI::App& app, const jobs::JobContext& context) {
  auto flags = std::make_shared<MetricsServerFlags>();
  auto* command = app.add_subcommand(
      "metrics-server",
      "Serve the catalog's metrics to Prometheus (see docs/monitoring.md).\n\n"
      "  GET /metrics  experiments, runs, jobs by kind and status, the catalog's size, and\n"
      "                for the most recent jobs their status, final metrics and resource use\n"
      "                (labels experiment, run, job_id, kind, metric)\n"
      "Each scrape reads the catalog afresh; running jobs are never blocked by it.\n"
      "SIGTERM or SIGINT stops it.\n\n"
      "Jobs push their live per-round and resource metrics to a Pushgateway instead: give\n"
      "--pushgateway URL (or ARCHML_PUSHGATEWAY_URL, or `pushgateway:` in config.yaml).\n\n"
      "Example (and a prometheus.yml that scrapes it in docs/monitoring.md):\n"
      "  archml metrics-server --port 9464 &\n"
      "  curl -s http://127.0.0.1:9464/metrics | grep archml_catalog_jobs");
  command->add_option("--host", flags->host, "Address to listen on")->capture_default_str();
  command->add_option("--port", flags->port, "Port to listen on (0: any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  command
      ->add_option("--recent-jobs", flags->recent_jobs,
                   "How many of the newest jobs get series of their own (bounds the number of\n"
                   "series Prometheus stores)")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{100000}));
  command->callback([flags, &context] { run_metrics_server(context, *flags); });
}

}  // namespace archml::cli
