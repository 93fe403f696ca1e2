// The catalog as a Prometheus scrape target (`archml metrics-server`, docs/monitoring.md):
// totals (experiments, runs, metric points, jobs by kind and status, the database's size
// on disk) and, for the most recent jobs only so the series stay bounded, each job's
// status, start and end times, the last value of every metric series it logged and its
// resource gauges, labelled experiment, run, job_id, kind (and metric).
//
// Every scrape reads the catalog afresh; in WAL mode a reader never blocks a writing job.
// Labels avoid `job` and `instance`, which Prometheus sets itself on a scrape.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "archml/serve/http_server.h"
#include "archml/track/catalog.h"

namespace archml::serve {

struct CatalogExporterOptions {
  std::int64_t recent_jobs = 100;  // jobs whose own series are published
};

// The text-format page. Throws archml::Error (I/O) when the catalog cannot be read.
std::string render_catalog_metrics(track::Catalog& catalog, const CatalogExporterOptions& options);

class CatalogExporter {
 public:
  CatalogExporter(std::shared_ptr<track::Catalog> catalog, CatalogExporterOptions options);

  // GET /metrics: the page; GET /: what this server is; other paths 404, other methods
  // 405; a catalog that cannot be read answers 503 with the reason.
  void handle(const HttpRequest& request, HttpResponse& response);

 private:
  std::shared_ptr<track::Catalog> catalog_;
  CatalogExporterOptions options_;
};

}  // namespace archml::serve
