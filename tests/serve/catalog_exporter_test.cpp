#include "archml/serve/catalog_exporter.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../track/temp_directory.h"
#include "archml/core/prometheus_text.h"
#include "archml/track/catalog.h"

namespace archml::serve {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class CatalogExporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = track::Catalog::open(directory_.path() / "catalog.db");
    const auto process = track::current_process();
    // An older failed training job, then a completed one with per-round metrics and
    // resource samples, then an evaluation still in progress.
    const auto first = catalog_->create_run("fraud", std::string("baseline"));
    old_job_ = catalog_->start_job(first.id, track::JobKind::kTraining, "archml train", process);
    catalog_->finish_job(old_job_, track::JobStatus::kFailed, "out of memory");
    const auto second = catalog_->create_run("fraud", std::string("deeper"));
    trained_job_ =
        catalog_->start_job(second.id, track::JobKind::kTraining, "archml train", process);
    const track::MetricPoint points[] = {{"validation:auc", 0, 0.81, 1},
                                         {"validation:auc", 1, 0.87, 2},
                                         {"validation:auc", 2, 0.92, 3},
                                         {"resource:cpu_seconds", 0, 4.5, 3},
                                         {"resource:peak_rss_mb", 0, 120, 3}};
    catalog_->log_metrics(trained_job_, points);
    catalog_->finish_job(trained_job_, track::JobStatus::kCompleted);
    catalog_->start_job(second.id, track::JobKind::kEvaluation, "archml evaluate", process);
  }

  testing::TempDirectory directory_;
  std::shared_ptr<track::Catalog> catalog_;
  std::int64_t old_job_ = 0, trained_job_ = 0;
};

TEST_F(CatalogExporterTest, TotalsCountJobsByKindAndStatusIncludingZeros) {
  const std::string page = render_catalog_metrics(*catalog_, {});
  EXPECT_THAT(page, HasSubstr("archml_catalog_experiments 1\n"));
  EXPECT_THAT(page, HasSubstr("archml_catalog_runs 2\n"));
  EXPECT_THAT(page, HasSubstr("archml_catalog_metric_points 5\n"));
  EXPECT_THAT(page, HasSubstr("archml_catalog_jobs{kind=\"training\",status=\"Completed\"} 1\n"));
  EXPECT_THAT(page, HasSubstr("archml_catalog_jobs{kind=\"training\",status=\"Failed\"} 1\n"));
  EXPECT_THAT(page,
              HasSubstr("archml_catalog_jobs{kind=\"evaluation\",status=\"InProgress\"} 1\n"));
  EXPECT_THAT(page, HasSubstr("archml_catalog_jobs{kind=\"tuning\",status=\"Stopped\"} 0\n"));
  EXPECT_THAT(page, HasSubstr("archml_catalog_size_bytes "));
  EXPECT_THAT(page, Not(HasSubstr("archml_catalog_size_bytes 0\n")));
}

TEST_F(CatalogExporterTest, RecentJobsPublishTheirLastValuesAndResources) {
  const std::string page = render_catalog_metrics(*catalog_, {});
  const std::string labels = "experiment=\"fraud\",run=\"deeper\",job_id=\"" +
                             std::to_string(trained_job_) + "\",kind=\"training\"";
  EXPECT_THAT(page, HasSubstr("archml_catalog_job_metric{" + labels +
                              ",metric=\"validation:auc\"} 0.92\n"));
  EXPECT_THAT(page, HasSubstr("archml_catalog_job_cpu_seconds{" + labels + "} 4.5\n"));
  EXPECT_THAT(page, HasSubstr("archml_catalog_job_peak_resident_memory_bytes{" + labels + "} " +
                              core::format_metric_value(120e6) + "\n"));
  EXPECT_THAT(page,
              HasSubstr("archml_catalog_job_status{" + labels + ",status=\"Completed\"} 1\n"));
  EXPECT_THAT(page, HasSubstr("archml_catalog_job_end_time_seconds{" + labels + "} "));
  EXPECT_THAT(page, HasSubstr("job_id=\"" + std::to_string(old_job_) + "\""));
  // Prometheus sets job and instance on every scrape; the page must not claim them.
  EXPECT_THAT(page, Not(HasSubstr("{job=")));
  EXPECT_THAT(page, Not(HasSubstr(",job=")));
}

TEST_F(CatalogExporterTest, OnlyTheNewestJobsGetSeriesOfTheirOwn) {
  const std::string page = render_catalog_metrics(*catalog_, {2});
  EXPECT_THAT(page, HasSubstr("job_id=\"" + std::to_string(trained_job_) + "\""));
  EXPECT_THAT(page, Not(HasSubstr("job_id=\"" + std::to_string(old_job_) + "\"")));
  // Totals still count every job.
  EXPECT_THAT(page, HasSubstr("archml_catalog_jobs{kind=\"training\",status=\"Failed\"} 1\n"));
}

TEST_F(CatalogExporterTest, AnswersMetricsHelpAndRefusesTheRest) {
  CatalogExporter exporter(catalog_, {});
  auto answer = [&](std::string_view method, std::string_view target) {
    HttpRequest request;
    request.method = method;
    request.target = target;
    HttpResponse response;
    exporter.handle(request, response);
    return response;
  };
  const auto metrics = answer("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.content_type, core::PrometheusWriter::kContentType);
  EXPECT_THAT(metrics.body, HasSubstr("archml_catalog_runs 2\n"));
  // A job finishing between scrapes shows on the next one: no cached page.
  catalog_->finish_job(trained_job_ + 1, track::JobStatus::kCompleted);
  EXPECT_THAT(answer("GET", "/metrics?x=1").body,
              HasSubstr("archml_catalog_jobs{kind=\"evaluation\",status=\"Completed\"} 1\n"));
  EXPECT_THAT(answer("GET", "/").body, HasSubstr("GET /metrics"));
  EXPECT_EQ(answer("POST", "/metrics").status, 405);
  EXPECT_EQ(answer("GET", "/invocations").status, 404);
}

}  // namespace
}  // namespace archml::serve
