// Logs N metric points through the catalog's real write path (a JobRecorder on a fresh
// catalog: buffered points, flushed in batches) and prints the seconds it took.
// A developer tool for bench/catalog.sh, built as its own target so the archml binary
// carries no benchmark command. Usage: archml_catalog_bench CATALOG_FILE [POINTS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "archml/jobs/job_record.h"
#include "archml/track/catalog.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: archml_catalog_bench CATALOG_FILE [POINTS]\n");
    return 2;
  }
  const long points = argc > 2 ? std::atol(argv[2]) : 100000;
  try {
    auto catalog = archml::track::Catalog::open(argv[1]);
    auto run = catalog->create_run("bench", std::nullopt);
    const auto start = std::chrono::steady_clock::now();
    {
      archml::jobs::JobRecorder recorder(catalog, run, archml::track::JobKind::kTraining);
      // The shape of a training job's log: two series, one point per round each.
      for (long i = 0; i < points; ++i)
        recorder.log_metric(i % 2 == 0 ? "validation:auc" : "validation:aucpr", i / 2,
                            0.5 + double(i % 1000) / 2000.0);
      recorder.complete();
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::int64_t stored = 0;
    for (const auto& summary : catalog->metric_summaries(catalog->recent_jobs(1).at(0).job.id))
      if (summary.name.rfind("validation:", 0) == 0) stored += summary.count;
    if (stored != points) {
      std::fprintf(stderr, "stored %lld points of %ld\n", static_cast<long long>(stored), points);
      return 1;
    }
    std::printf("%.6f\n", seconds);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "archml_catalog_bench: %s\n", error.what());
    return 1;
  }
  return 0;
}
