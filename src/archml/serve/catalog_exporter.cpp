#include "archml/serve/catalog_exporter.h"

#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "archml/core/error.h"
#include "archml/core/prometheus_text.h"
#include "archml/jobs/metrics_push.h"

namespace archml::serve {
namespace {

namespace fs = std::filesystem;

constexpr track::JobKind kKinds[] = {track::JobKind::kPrep, track::JobKind::kTraining,
                                     track::JobKind::kEvaluation, track::JobKind::kTuning,
                                     track::JobKind::kTransform};
constexpr track::JobStatus kStatuses[] = {track::JobStatus::kInProgress,
                                          track::JobStatus::kCompleted, track::JobStatus::kFailed,
                                          track::JobStatus::kStopped};

// The database and its write-ahead log: what the catalog occupies on disk.
double catalog_bytes(const std::string& file) {
  double bytes = 0;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code error;
    const auto size = fs::file_size(file + suffix, error);
    if (!error) bytes += static_cast<double>(size);
  }
  return bytes;
}

std::vector<core::PrometheusLabel> job_labels(const track::JobReport& report) {
  return {{"experiment", report.run.experiment},
          {"run", report.run.name},
          {"job_id", std::to_string(report.job.id)},
          {"kind", track::to_string(report.job.kind)}};
}

void write_totals(core::PrometheusWriter& writer, track::Catalog& catalog) {
  const track::CatalogCounts counts = catalog.counts();
  writer.gauge("archml_catalog_experiments", "Experiments in the catalog.",
               {{{}, static_cast<double>(counts.experiments)}});
  writer.gauge("archml_catalog_runs", "Runs (trials) in the catalog.",
               {{{}, static_cast<double>(counts.runs)}});
  writer.gauge("archml_catalog_metric_points", "Metric points the catalog holds.",
               {{{}, static_cast<double>(counts.metric_points)}});
  std::vector<core::PrometheusSample> jobs;
  for (const auto kind : kKinds)
    for (const auto status : kStatuses) {
      const auto found = counts.jobs.find({kind, status});
      jobs.push_back({{{"kind", track::to_string(kind)}, {"status", track::to_string(status)}},
                      found == counts.jobs.end() ? 0.0 : static_cast<double>(found->second)});
    }
  writer.gauge("archml_catalog_jobs", "Jobs recorded, by kind and status.", jobs);
  writer.gauge("archml_catalog_size_bytes",
               "Size of the catalog database with its write-ahead log, in bytes.",
               {{{}, catalog_bytes(catalog.path())}});
}

void write_recent_jobs(core::PrometheusWriter& writer, track::Catalog& catalog,
                       std::int64_t limit) {
  const auto reports = catalog.recent_jobs(limit);
  std::vector<core::PrometheusSample> statuses, started, ended, values;
  std::vector<std::vector<core::PrometheusSample>> resources(jobs::resource_gauges().size());
  for (const auto& report : reports) {
    const auto labels = job_labels(report);
    for (auto& sample : jobs::job_status_samples(track::to_string(report.job.status), labels))
      statuses.push_back(std::move(sample));
    started.push_back({labels, report.job.started_at});
    if (report.job.ended_at) ended.push_back({labels, *report.job.ended_at});
    for (const auto& summary : report.metrics) {
      if (const auto* gauge = jobs::resource_gauge(summary.name)) {
        const auto index = static_cast<std::size_t>(gauge - jobs::resource_gauges().data());
        resources[index].push_back({labels, summary.last * gauge->scale});
        continue;
      }
      auto metric_labels = labels;
      metric_labels.push_back({"metric", summary.name});
      values.push_back({std::move(metric_labels), summary.last});
    }
  }
  writer.gauge("archml_catalog_job_status",
               "1 for the current status of each recent job, 0 for the others.", statuses);
  writer.gauge("archml_catalog_job_start_time_seconds",
               "When each recent job started, in seconds since the epoch.", started);
  writer.gauge("archml_catalog_job_end_time_seconds",
               "When each recent job ended, in seconds since the epoch (ended jobs only).", ended);
  writer.gauge("archml_catalog_job_metric",
               "Last value of each metric series of each recent job (its final metrics).", values);
  for (std::size_t i = 0; i < resources.size(); ++i) {
    const auto& gauge = jobs::resource_gauges()[i];
    // archml_job_cpu_seconds -> archml_catalog_job_cpu_seconds: the pushed name, as stored.
    const std::string name = "archml_catalog_" + std::string(gauge.metric).substr(7);
    writer.gauge(name, std::string(gauge.help) + " Last sample, from the catalog.", resources[i]);
  }
}

constexpr const char* kHelpText =
    "archml metrics-server: the archml catalog as a Prometheus scrape target.\n"
    "\n"
    "GET /metrics  experiments, runs and jobs by kind and status; for the most recent jobs\n"
    "              their status, final metrics and resource use (docs/monitoring.md)\n";

}  // namespace

std::string render_catalog_metrics(track::Catalog& catalog, const CatalogExporterOptions& options) {
  core::PrometheusWriter writer;
  write_totals(writer, catalog);
  write_recent_jobs(writer, catalog, options.recent_jobs);
  return writer.text();
}

CatalogExporter::CatalogExporter(std::shared_ptr<track::Catalog> catalog,
                                 CatalogExporterOptions options)
    : catalog_(std::move(catalog)), options_(options) {}

void CatalogExporter::handle(const HttpRequest& request, HttpResponse& response) {
  const std::string_view path = request.path();
  if (path != "/metrics" && path != "/") {
    response.status = 404;
    response.content_type = "text/plain; charset=utf-8";
    response.body = "not found; GET /metrics for the catalog's metrics\n";
    return;
  }
  if (request.method != "GET") {
    response.status = 405;
    response.headers.push_back({"Allow", "GET"});
    response.content_type = "text/plain; charset=utf-8";
    response.body = "only GET is allowed here\n";
    return;
  }
  if (path == "/") {
    response.content_type = "text/plain; charset=utf-8";
    response.body = kHelpText;
    return;
  }
  try {
    response.body = render_catalog_metrics(*catalog_, options_);
    response.content_type = std::string(core::PrometheusWriter::kContentType);
  } catch (const Error& error) {
    response.status = 503;
    response.content_type = "text/plain; charset=utf-8";
    response.body = std::string("cannot read the catalog: ") + error.what() + "\n";
  }
}

}  // namespace archml::serve
