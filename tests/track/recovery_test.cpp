// Crash recovery: jobs whose process is gone must not stay InProgress forever.
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "archml/track/catalog.h"
#include "temp_directory.h"

namespace archml::track {
namespace {

// The PID of a process that has ended and been reaped.
long dead_pid() {
  pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  return static_cast<long>(child);
}

TEST(Recovery, JobsOfEndedProcessesBecomeFailedOnTheNextOpen) {
  testing::TempDirectory directory;
  const auto file = directory.path() / "catalog.db";
  const ProcessIdentity self = current_process();
  ASSERT_FALSE(self.start.empty());
  std::int64_t crashed = 0, reused = 0, alive = 0, elsewhere = 0, finished = 0;
  {
    Catalog catalog(file);
    track::Run run = catalog.create_run("e", std::nullopt);
    crashed = catalog.start_job(run.id, JobKind::kTraining, "x", {self.host, dead_pid(), "1"});
    // This process's PID, but another start time: the PID was reused.
    reused = catalog.start_job(run.id, JobKind::kTraining, "x", {self.host, self.pid, "1"});
    alive = catalog.start_job(run.id, JobKind::kTraining, "x", self);
    elsewhere = catalog.start_job(run.id, JobKind::kTraining, "x", {"other-host", 1, "1"});
    finished = catalog.start_job(run.id, JobKind::kTraining, "x", {self.host, dead_pid(), "1"});
    catalog.finish_job(finished, JobStatus::kCompleted);
  }
  auto catalog = Catalog::open(file);
  EXPECT_EQ(catalog->job(crashed).status, JobStatus::kFailed);
  EXPECT_EQ(catalog->job(crashed).failure_reason, kAbandonedReason);
  EXPECT_EQ(catalog->job(reused).status, JobStatus::kFailed);
  EXPECT_EQ(catalog->job(alive).status, JobStatus::kInProgress);
  // Another host's processes cannot be checked from here.
  EXPECT_EQ(catalog->job(elsewhere).status, JobStatus::kInProgress);
  EXPECT_EQ(catalog->job(finished).status, JobStatus::kCompleted);
  EXPECT_EQ(catalog->recover_abandoned_jobs(), 0);
}

// A reader records nothing but shows (and counts) what the next writer will record.
TEST(Recovery, AReaderShowsAbandonedJobsAsFailedAndLeavesThemForTheNextWriter) {
  testing::TempDirectory directory;
  const auto file = directory.path() / "catalog.db";
  const ProcessIdentity self = current_process();
  std::int64_t crashed = 0, alive = 0;
  std::int64_t run_id = 0;
  {
    Catalog catalog(file);
    run_id = catalog.create_run("e", std::nullopt).id;
    crashed = catalog.start_job(run_id, JobKind::kTraining, "x", {self.host, dead_pid(), "1"});
    alive = catalog.start_job(run_id, JobKind::kEvaluation, "x", self);
  }
  auto reader = Catalog::open_read_only(file);
  EXPECT_EQ(reader->job(crashed).status, JobStatus::kFailed);
  EXPECT_EQ(reader->job(crashed).failure_reason, kAbandonedReason);
  EXPECT_FALSE(reader->job(crashed).ended_at);
  EXPECT_EQ(reader->job(alive).status, JobStatus::kInProgress);
  EXPECT_EQ(reader->run_details(run_id).jobs.front().status, JobStatus::kFailed);
  const CatalogCounts counts = reader->counts();
  EXPECT_EQ(counts.jobs.count({JobKind::kTraining, JobStatus::kInProgress}), 0u);
  EXPECT_EQ(counts.jobs.at({JobKind::kTraining, JobStatus::kFailed}), 1);
  EXPECT_EQ(counts.jobs.at({JobKind::kEvaluation, JobStatus::kInProgress}), 1);
  // Nothing was written: a plain connection still sees the job InProgress.
  EXPECT_EQ(Catalog(file).job(crashed).status, JobStatus::kInProgress);
  auto writer = Catalog::open(file);
  EXPECT_EQ(writer->job(crashed).status, JobStatus::kFailed);
  EXPECT_TRUE(writer->job(crashed).ended_at);
}

TEST(Recovery, ProcessIdentityTellsRunningFromEnded) {
  EXPECT_TRUE(is_running(current_process()));
  EXPECT_FALSE(is_running({"h", dead_pid(), ""}));
  ProcessIdentity self = current_process();
  self.start += "0";
  EXPECT_FALSE(is_running(self));
}

}  // namespace
}  // namespace archml::track
