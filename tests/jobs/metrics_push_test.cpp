#include "archml/jobs/metrics_push.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../track/recording_http_server.h"
#include "../track/temp_directory.h"
#include "archml/jobs/job_record.h"
#include "archml/track/catalog.h"

namespace archml::jobs {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

JobPushState training_state() {
  JobPushState state;
  state.kind = "training";
  state.job_id = 42;
  state.experiment = "fraud";
  state.run = "trial 1";
  state.started_at = 1700000000;
  return state;
}

TEST(JobPushBody, GroupsByKindJobIdExperimentAndRun) {
  const auto group = job_push_group(training_state());
  EXPECT_EQ(group.job, "archml_training");
  ASSERT_EQ(group.labels.size(), 3u);
  EXPECT_EQ(group.labels[0].name, "instance");
  EXPECT_EQ(group.labels[0].value, "42");
  EXPECT_EQ(group.labels[2].value, "trial 1");
}

TEST(JobPushBody, LatestValuesAsGaugesWithTheRoundOutOfTheLabels) {
  auto state = training_state();
  state.latest["validation:auc"] = {12, 0.93};
  state.latest["resource:cpu_seconds"] = {3, 1.5};
  state.latest["resource:peak_rss_mb"] = {3, 250};
  state.latest["resource:rows_per_second"] = {12, 80000};
  const std::string body = job_push_body(state);
  EXPECT_THAT(body, HasSubstr("# TYPE archml_job_metric gauge\n"));
  EXPECT_THAT(body, HasSubstr("archml_job_metric{metric=\"validation:auc\"} 0.93\n"));
  EXPECT_THAT(body, HasSubstr("archml_job_metric_step{metric=\"validation:auc\"} 12\n"));
  // Resources become their own gauges in base units, not archml_job_metric series.
  EXPECT_THAT(body, HasSubstr("archml_job_cpu_seconds 1.5\n"));
  EXPECT_THAT(body, HasSubstr("archml_job_peak_resident_memory_bytes " +
                              core::format_metric_value(250e6) + "\n"));
  EXPECT_THAT(body, HasSubstr("archml_job_rows_per_second 80000\n"));
  EXPECT_THAT(body, Not(HasSubstr("metric=\"resource:")));
  EXPECT_THAT(body, HasSubstr("archml_job_status{status=\"InProgress\"} 1\n"));
  EXPECT_THAT(body, HasSubstr("archml_job_status{status=\"Completed\"} 0\n"));
  EXPECT_THAT(body, HasSubstr("archml_job_start_time_seconds " +
                              core::format_metric_value(1700000000) + "\n"));
  // Labels the grouping key sets are not repeated in the body (the gateway rejects that).
  EXPECT_THAT(body, Not(HasSubstr("instance=")));
  EXPECT_THAT(body, Not(HasSubstr("job=")));
}

TEST(JobMetricsPusher, FinishPushesTheFinalStateAndOlderStepsDoNotWin) {
  testing::RecordingHttpServer gateway;
  {
    JobMetricsPusher pusher({gateway.url(), std::chrono::milliseconds(10)}, training_state());
    pusher.observe("validation:auc", 5, 0.90);
    pusher.observe("validation:auc", 4, 0.10);  // a late point of an earlier round
    pusher.finish("Completed");
    pusher.observe("validation:auc", 9, 0.50);  // after the ending: ignored
    EXPECT_GE(pusher.pushes(), 1);
    EXPECT_EQ(pusher.failures(), 0);
  }
  const auto requests = gateway.requests();
  ASSERT_FALSE(requests.empty());
  const auto& last = requests.back();
  EXPECT_EQ(last.method, "PUT");
  EXPECT_EQ(last.target,
            "/metrics/job/archml_training/instance/42/experiment/fraud/run@base64/dHJpYWwgMQ");
  EXPECT_THAT(last.body, HasSubstr("archml_job_metric{metric=\"validation:auc\"} 0.9\n"));
  EXPECT_THAT(last.body, HasSubstr("archml_job_status{status=\"Completed\"} 1\n"));
}

TEST(JobMetricsPusher, AGatewayThatIsDownNeverFailsTheJobAndWarnsOnce) {
  const std::string url = "http://127.0.0.1:" + std::to_string(testing::unused_port());
  ::testing::internal::CaptureStderr();
  {
    JobMetricsPusher first({url, std::chrono::milliseconds(10)}, training_state());
    first.observe("validation:auc", 1, 0.8);
    EXPECT_NO_THROW(first.finish("Completed"));
    EXPECT_GE(first.failures(), 1);
    EXPECT_EQ(first.pushes(), 0);
    JobMetricsPusher second({url, std::chrono::milliseconds(10)}, training_state());
    EXPECT_NO_THROW(second.finish("Failed"));
    EXPECT_GE(second.failures(), 1);
  }
  const std::string warnings = ::testing::internal::GetCapturedStderr();
  // Other tests in this process may already have warned; never more than once.
  int warned = 0;
  for (auto at = warnings.find("warning:"); at != std::string::npos;
       at = warnings.find("warning:", at + 1))
    ++warned;
  EXPECT_LE(warned, 1) << warnings;
}

TEST(RecorderPush, ARecordedJobPushesItsMetricsResourcesAndEnding) {
  testing::RecordingHttpServer gateway;
  testing::TempDirectory directory;
  auto catalog = track::Catalog::open(directory.path() / "catalog.db");
  const track::Run run = catalog->create_run("fraud", std::string("push"));
  std::int64_t job_id = 0;
  {
    RecorderOptions options;
    options.command_line = "archml train";
    options.pushgateway = gateway.url();
    JobRecorder recorder(catalog, run, track::JobKind::kTraining, options);
    job_id = recorder.job_id();
    for (int round = 0; round < 3; ++round)
      recorder.log_metric("validation:auc", round, 0.5 + 0.125 * round);
    recorder.complete();
  }
  const auto requests = gateway.requests();
  ASSERT_FALSE(requests.empty());
  const auto& last = requests.back();
  EXPECT_EQ(last.target, "/metrics/job/archml_training/instance/" + std::to_string(job_id) +
                             "/experiment/fraud/run/push");
  EXPECT_THAT(last.body, HasSubstr("archml_job_metric{metric=\"validation:auc\"} 0.75\n"));
  EXPECT_THAT(last.body, HasSubstr("archml_job_metric_step{metric=\"validation:auc\"} 2\n"));
  EXPECT_THAT(last.body, HasSubstr("archml_job_cpu_seconds "));
  EXPECT_THAT(last.body, HasSubstr("archml_job_peak_resident_memory_bytes "));
  EXPECT_THAT(last.body, HasSubstr("archml_job_wall_seconds "));
  EXPECT_THAT(last.body, HasSubstr("archml_job_status{status=\"Completed\"} 1\n"));
  // The catalog has the same points: pushing is in addition to recording.
  EXPECT_EQ(catalog->job(job_id).status, track::JobStatus::kCompleted);
  EXPECT_EQ(catalog->metric_points(run.id, "validation:auc").size(), 3u);
}

}  // namespace
}  // namespace archml::jobs
