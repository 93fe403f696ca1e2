#include "archml/jobs/job_record.h"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "../track/temp_directory.h"
#include "archml/core/error.h"
#include "archml/core/text_file.h"

namespace archml::jobs {
namespace {

class JobRecordTest : public ::testing::Test {
 protected:
  testing::TempDirectory directory_;
  std::shared_ptr<track::Catalog> catalog_ = track::Catalog::open(directory_.path() / "catalog.db");
  track::Run run_ = catalog_->create_run("e", std::nullopt);

  RecorderOptions fast() {
    RecorderOptions options;
    options.sample_interval = std::chrono::milliseconds(20);
    options.command_line = "archml test";
    return options;
  }
};

TEST_F(JobRecordTest, ACompletedJobKeepsItsRecordsAndResourceSeries) {
  const auto file = directory_.path() / "abc.txt";
  core::write_text_file(file, "abc");
  std::int64_t job = 0;
  {
    JobRecorder recorder(catalog_, run_, track::JobKind::kTraining, fast());
    job = recorder.job_id();
    EXPECT_EQ(catalog_->job(job).status, track::JobStatus::kInProgress);
    run_recorded(&recorder, [&] {
      recorder.log_parameters({{"eta", "0.2"}});
      for (int round = 0; round < 10; ++round) recorder.log_metric("validation:auc", round, round);
      recorder.add_local_artifact("abc.txt", file, "text/plain");
      recorder.add_lineage({"data", "xxh64:1", "bundle", file_uri(file), 0});
      std::this_thread::sleep_for(std::chrono::milliseconds(120));
    });
  }
  const track::Job ended = catalog_->job(job);
  EXPECT_EQ(ended.status, track::JobStatus::kCompleted);
  EXPECT_EQ(ended.command_line, "archml test");
  auto details = catalog_->run_details(run_.id);
  EXPECT_EQ(details.parameters.at("eta"), "0.2");
  EXPECT_EQ(details.metrics.at("validation:auc").count, 10);
  EXPECT_DOUBLE_EQ(details.metrics.at("validation:auc").last, 9);
  ASSERT_EQ(details.artifacts.size(), 1u);
  EXPECT_EQ(details.artifacts[0].size, 3u);
  EXPECT_EQ(details.artifacts[0].sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(details.artifacts[0].uri, "file://" + file.string());
  // Sampled while the job ran (every 20 ms over 120 ms) and once at the end.
  EXPECT_GE(details.metrics.at("resource:cpu_seconds").count, 3);
  EXPECT_GT(details.metrics.at("resource:rss_mb").last, 1.0);
  auto peaks = catalog_->metric_points(run_.id, "resource:peak_rss_mb");
  for (std::size_t i = 1; i < peaks.size(); ++i) EXPECT_GE(peaks[i].value, peaks[i - 1].value);
}

TEST_F(JobRecordTest, AnErrorFailsTheJobWithItsMessageAndPropagates) {
  JobRecorder recorder(catalog_, run_, track::JobKind::kEvaluation, fast());
  EXPECT_THROW(run_recorded(&recorder, [] { throw_not_found("column 'isFraud' is missing"); }),
               Error);
  const track::Job job = catalog_->job(recorder.job_id());
  EXPECT_EQ(job.status, track::JobStatus::kFailed);
  EXPECT_EQ(job.failure_reason, "column 'isFraud' is missing");
}

TEST_F(JobRecordTest, ARecorderDestroyedWithoutAnEndingFailsItsJob) {
  std::int64_t job = 0;
  {
    JobRecorder recorder(catalog_, run_, track::JobKind::kTransform, fast());
    job = recorder.job_id();
  }
  EXPECT_EQ(catalog_->job(job).status, track::JobStatus::kFailed);
}

TEST_F(JobRecordTest, RecordersOnSeveralThreadsKeepEveryPoint) {
  constexpr int kThreads = 4, kPoints = 5000;
  std::vector<std::int64_t> jobs(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      RecorderOptions options = fast();
      options.flush_threshold = 700;  // flushes from this thread as well as the sampler's
      JobRecorder recorder(catalog_, run_, track::JobKind::kTuning, options);
      jobs[t] = recorder.job_id();
      run_recorded(&recorder, [&] {
        for (int i = 0; i < kPoints; ++i) recorder.log_metric("objective", i, t);
      });
    });
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(catalog_->job(jobs[t]).status, track::JobStatus::kCompleted);
    EXPECT_EQ(catalog_->metric_points(run_.id, "objective", jobs[t]).size(), std::size_t(kPoints));
  }
}

TEST_F(JobRecordTest, SigtermMarksTheJobStoppedAndStillEndsTheProcess) {
  const auto file = directory_.path() / "catalog.db";
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto catalog = track::Catalog::open(file);
    RecorderOptions options;
    options.command_line = "child";
    JobRecorder recorder(catalog, catalog->ensure_run("e", "signalled"), track::JobKind::kTraining,
                         options);
    ::kill(::getpid(), SIGTERM);
    std::this_thread::sleep_for(std::chrono::seconds(20));
    _exit(0);  // only reached if the signal was swallowed
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child exited instead of dying by the signal";
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  auto details = catalog_->run_details(catalog_->find_run("e/signalled").id);
  ASSERT_EQ(details.jobs.size(), 1u);
  EXPECT_EQ(details.jobs[0].status, track::JobStatus::kStopped);
  EXPECT_EQ(details.jobs[0].failure_reason, "stopped by SIGTERM");
}

// A process that survives the signal (Python turns SIGINT into KeyboardInterrupt) records
// later jobs as it did the first: a second signal stops the second job and reaches the
// process's own handler again.
volatile std::sig_atomic_t job_record_test_signals = 0;

TEST_F(JobRecordTest, AProcessThatSurvivesTheSignalStopsItsNextJobToo) {
  const auto file = directory_.path() / "catalog.db";
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    struct sigaction counting {};
    counting.sa_handler = [](int) { job_record_test_signals = job_record_test_signals + 1; };
    sigemptyset(&counting.sa_mask);
    sigaction(SIGTERM, &counting, nullptr);
    auto catalog = track::Catalog::open(file);
    for (int attempt = 1; attempt <= 2; ++attempt) {
      JobRecorder recorder(catalog, catalog->ensure_run("e", "survivor-" + std::to_string(attempt)),
                           track::JobKind::kTraining, fast());
      ::kill(::getpid(), SIGTERM);
      for (int wait = 0; wait < 500 && job_record_test_signals < attempt; ++wait)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    _exit(static_cast<int>(job_record_test_signals));
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2) << "signals that reached the process's own handler";
  for (const char* run : {"e/survivor-1", "e/survivor-2"}) {
    auto details = catalog_->run_details(catalog_->find_run(run).id);
    ASSERT_EQ(details.jobs.size(), 1u) << run;
    EXPECT_EQ(details.jobs[0].status, track::JobStatus::kStopped) << run;
  }
}

}  // namespace
}  // namespace archml::jobs
