#include "archml/track/catalog.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "archml/core/error.h"
#include "temp_directory.h"

namespace archml::track {
namespace {

class CatalogTest : public ::testing::Test {
 protected:
  testing::TempDirectory directory_;
  std::shared_ptr<Catalog> catalog_ = Catalog::open(directory_.path() / "catalog.db");

  std::int64_t new_job(const track::Run& run, JobKind kind = JobKind::kTraining) {
    return catalog_->start_job(run.id, kind, "archml train --data x.csv", current_process());
  }
};

TEST_F(CatalogTest, ExperimentsAreCreatedOnceListedAndDeletedWithTheirRuns) {
  Experiment first = catalog_->ensure_experiment("fraud");
  EXPECT_EQ(catalog_->ensure_experiment("fraud").id, first.id);
  catalog_->ensure_experiment("churn");
  catalog_->create_run("fraud", std::nullopt);
  track::Run named = catalog_->create_run("fraud", std::string("baseline"));
  const std::int64_t job = new_job(named);
  catalog_->log_metrics(job, std::vector<MetricPoint>{{"validation:auc", 0, 0.9, 1.0}});

  EXPECT_EQ(catalog_->experiment_count(), 2);
  auto page = catalog_->experiments(1, 1);
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].name, "churn");
  EXPECT_EQ(catalog_->experiment("fraud").runs, 2);

  EXPECT_EQ(catalog_->delete_experiment("fraud"), 2);
  EXPECT_EQ(catalog_->experiment_count(), 1);
  EXPECT_TRUE(catalog_->runs().empty());
  try {
    catalog_->experiment("fraud");
    FAIL() << "a deleted experiment was still found";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
    EXPECT_NE(std::string(error.what()).find("churn"), std::string::npos) << error.what();
  }
}

TEST_F(CatalogTest, UnnamedRunsAreNamedAfterTheirIdAndFoundThreeWays) {
  track::Run run = catalog_->create_run("fraud", std::nullopt);
  EXPECT_EQ(run.name, "run-" + std::to_string(run.id));
  EXPECT_EQ(run.experiment, "fraud");
  EXPECT_EQ(catalog_->find_run(std::to_string(run.id)).id, run.id);
  EXPECT_EQ(catalog_->find_run(run.name).id, run.id);
  EXPECT_EQ(catalog_->find_run("fraud/" + run.name).id, run.id);
  EXPECT_EQ(catalog_->ensure_run("fraud", run.name).id, run.id);
}

TEST_F(CatalogTest, AmbiguousAndMissingRunsAreClearErrors) {
  catalog_->create_run("a", std::string("same"));
  catalog_->create_run("b", std::string("same"));
  try {
    catalog_->find_run("same");
    FAIL() << "an ambiguous name was resolved";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("EXPERIMENT/RUN"), std::string::npos);
  }
  EXPECT_EQ(catalog_->find_run("b/same").experiment, "b");
  EXPECT_THROW(catalog_->find_run("nothing"), Error);
  EXPECT_THROW(catalog_->find_run("999"), Error);
  EXPECT_THROW(catalog_->create_run("a", std::string("x/y")), Error);
}

TEST_F(CatalogTest, JobsEndOnceAndKeepTheirFirstResult) {
  track::Run run = catalog_->create_run("fraud", std::nullopt);
  const std::int64_t id = new_job(run);
  Job started = catalog_->job(id);
  EXPECT_EQ(started.status, JobStatus::kInProgress);
  EXPECT_EQ(started.command_line, "archml train --data x.csv");
  EXPECT_FALSE(started.archml_version.empty());
  EXPECT_FALSE(started.ended_at.has_value());

  catalog_->finish_job(id, JobStatus::kFailed, "column 'isFraud' not found");
  catalog_->finish_job(id, JobStatus::kCompleted);
  Job ended = catalog_->job(id);
  EXPECT_EQ(ended.status, JobStatus::kFailed);
  EXPECT_EQ(ended.failure_reason, "column 'isFraud' not found");
  ASSERT_TRUE(ended.ended_at.has_value());
  EXPECT_GE(*ended.ended_at, ended.started_at);
}

TEST_F(CatalogTest, SummariesMatchHandComputedValuesAcrossBatches) {
  track::Run run = catalog_->create_run("fraud", std::nullopt);
  const std::int64_t job = new_job(run);
  // Logged out of step order in two flushes: the last value is the highest step's.
  catalog_->log_metrics(job,
                        std::vector<MetricPoint>{{"loss", 3, 4.0, 10.0}, {"loss", 4, 10.0, 11.0}});
  catalog_->log_metrics(
      job, std::vector<MetricPoint>{
               {"loss", 0, 1.0, 12.0}, {"loss", 1, 2.0, 13.0}, {"loss", 2, 3.0, 14.0}});
  auto summaries = catalog_->metric_summaries(job);
  ASSERT_EQ(summaries.size(), 1u);
  const MetricSummary& s = summaries[0];
  EXPECT_EQ(s.count, 5);
  EXPECT_DOUBLE_EQ(s.min, 1.0);
  EXPECT_DOUBLE_EQ(s.max, 10.0);
  EXPECT_DOUBLE_EQ(s.avg, 4.0);
  // Sample standard deviation: sqrt((9 + 4 + 1 + 0 + 36) / 4).
  EXPECT_NEAR(s.std, std::sqrt(12.5), 1e-12);
  EXPECT_DOUBLE_EQ(s.last, 10.0);
  EXPECT_EQ(s.last_step, 4);

  auto points = catalog_->metric_points(run.id, "loss");
  ASSERT_EQ(points.size(), 5u);
  for (std::size_t i = 0; i < points.size(); ++i) EXPECT_EQ(points[i].step, std::int64_t(i));
}

TEST_F(CatalogTest, SummaryOfLargeOffsetValuesKeepsItsPrecision) {
  track::Run run = catalog_->create_run("fraud", std::nullopt);
  const std::int64_t job = new_job(run);
  // A naive sum of squares loses every digit of the spread at this magnitude.
  std::vector<MetricPoint> points;
  for (int i = 0; i < 1000; ++i) points.push_back({"x", i, 1e9 + (i % 2), double(i)});
  for (std::size_t begin = 0; begin < points.size(); begin += 100)
    catalog_->log_metrics(job, std::span(points).subspan(begin, 100));
  auto s = catalog_->metric_summaries(job).at(0);
  EXPECT_EQ(s.count, 1000);
  EXPECT_NEAR(s.avg, 1e9 + 0.5, 1e-6);
  EXPECT_NEAR(s.std, std::sqrt(0.25 * 1000.0 / 999.0), 1e-6);
}

TEST_F(CatalogTest, NonFiniteValuesAreSkippedNotStoredAsNull) {
  track::Run run = catalog_->create_run("fraud", std::nullopt);
  const std::int64_t job = new_job(run);
  catalog_->log_metrics(
      job, std::vector<MetricPoint>{{"auc", 0, std::numeric_limits<double>::quiet_NaN(), 1},
                                    {"auc", 1, 0.5, 2}});
  EXPECT_EQ(catalog_->metric_points(run.id, "auc").size(), 1u);
  EXPECT_EQ(catalog_->metric_summaries(job).at(0).count, 1);
}

TEST_F(CatalogTest, ABatchOfManyPointsIsStoredWholeWithNonFiniteOnesSkipped) {
  track::Run run = catalog_->create_run("fraud", std::nullopt);
  const std::int64_t job = new_job(run);
  // Spans the many-row statements and the row-by-row tail, with NaN and inf among them.
  std::vector<MetricPoint> points;
  for (int i = 0; i < 203; ++i) {
    const double value = i % 50 == 7   ? std::numeric_limits<double>::quiet_NaN()
                         : i % 50 == 8 ? std::numeric_limits<double>::infinity()
                                       : i * 0.5;
    points.push_back({i % 2 ? "a" : "b", i, value, double(i)});
  }
  catalog_->log_metrics(job, points);
  std::vector<MetricPoint> stored = catalog_->metric_points(run.id, "a");
  const std::vector<MetricPoint> b = catalog_->metric_points(run.id, "b");
  stored.insert(stored.end(), b.begin(), b.end());
  std::vector<std::int64_t> steps;
  for (const auto& point : stored) {
    EXPECT_EQ(point.value, point.step * 0.5);
    EXPECT_EQ(point.timestamp, double(point.step));
    EXPECT_EQ(point.name, point.step % 2 ? "a" : "b");
    steps.push_back(point.step);
  }
  std::sort(steps.begin(), steps.end());
  std::vector<std::int64_t> expected;
  for (int i = 0; i < 203; ++i)
    if (i % 50 != 7 && i % 50 != 8) expected.push_back(i);
  EXPECT_EQ(steps, expected);
}

TEST_F(CatalogTest, RunDetailsMergeJobsWithTheNewestWinning) {
  track::Run run = catalog_->create_run("fraud", std::nullopt);
  track::Run other = catalog_->create_run("fraud", std::nullopt);
  const std::int64_t training = new_job(run);
  catalog_->set_parameters(training, {{"eta", "0.2"}, {"max_depth", "5"}});
  catalog_->log_metrics(training, std::vector<MetricPoint>{{"test:auc", 20, 0.91, 1}});
  catalog_->add_artifact(training, {"bundle/model.json", "file:///m.json", "application/json", 12,
                                    std::string(64, 'a')});
  catalog_->add_lineage(training, {"data", "xxh64:00", "bundle", "file:///b", 0});
  catalog_->finish_job(training, JobStatus::kCompleted);
  const std::int64_t evaluation = new_job(run, JobKind::kEvaluation);
  catalog_->log_metrics(evaluation, std::vector<MetricPoint>{{"test:auc", 0, 0.93, 2}});
  catalog_->set_parameters(new_job(other), {{"eta", "0.9"}});

  RunDetails details = catalog_->run_details(run.id);
  ASSERT_EQ(details.jobs.size(), 2u);
  EXPECT_EQ(details.status(), JobStatus::kInProgress);  // the evaluation has not ended
  EXPECT_EQ(details.parameters.at("eta"), "0.2");
  EXPECT_EQ(details.parameters.at("max_depth"), "5");
  EXPECT_DOUBLE_EQ(details.metrics.at("test:auc").last, 0.93);
  ASSERT_EQ(details.artifacts.size(), 1u);
  EXPECT_EQ(details.artifacts[0].size, 12u);
  ASSERT_EQ(details.lineage.size(), 1u);
  EXPECT_EQ(details.lineage[0].job_id, training);
  // The series of one job stays reachable.
  EXPECT_DOUBLE_EQ(catalog_->metric_points(run.id, "test:auc", training).at(0).value, 0.91);
  EXPECT_DOUBLE_EQ(catalog_->metric_points(run.id, "test:auc").at(0).value, 0.93);

  auto reports = catalog_->recent_jobs(2);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].run.id, other.id);
  EXPECT_EQ(reports[1].job.id, evaluation);
  EXPECT_EQ(reports[1].metrics.at(0).name, "test:auc");
}

TEST(JobNames, RoundTripAndRejectUnknown) {
  for (auto kind : {JobKind::kPrep, JobKind::kTraining, JobKind::kEvaluation, JobKind::kTuning,
                    JobKind::kTransform})
    EXPECT_EQ(parse_job_kind(to_string(kind)), kind);
  for (auto status :
       {JobStatus::kInProgress, JobStatus::kCompleted, JobStatus::kFailed, JobStatus::kStopped})
    EXPECT_EQ(parse_job_status(to_string(status)), status);
  EXPECT_THROW(parse_job_kind("train"), Error);
  EXPECT_THROW(parse_job_status("Running"), Error);
}

}  // namespace
}  // namespace archml::track
