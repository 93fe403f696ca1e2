// Several processes writing one catalog at once, as parallel tuning trials do: every
// write must land, none may fail with "database is locked".
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <exception>
#include <vector>

#include "archml/track/catalog.h"
#include "temp_directory.h"

namespace archml::track {
namespace {

constexpr int kProcesses = 6;
constexpr int kBatches = 40;
constexpr int kBatchSize = 50;

// The child's whole life: its own connection, a run shared by all, a job, small batches.
int write_from_child(const std::filesystem::path& file, int index) {
  try {
    Catalog catalog(file);
    track::Run shared = catalog.ensure_run("tuning", "shared");
    track::Run own = catalog.create_run("tuning", std::nullopt);
    const std::int64_t job =
        catalog.start_job(shared.id, JobKind::kTuning, "child", current_process());
    catalog.set_parameters(job, {{"trial", std::to_string(index)}});
    for (int batch = 0; batch < kBatches; ++batch) {
      std::vector<MetricPoint> points;
      for (int i = 0; i < kBatchSize; ++i)
        points.push_back({"objective", batch * kBatchSize + i, double(index), now_seconds()});
      catalog.log_metrics(job, points);
    }
    catalog.finish_job(job, JobStatus::kCompleted);
    return own.id > 0 ? 0 : 3;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "child %d: %s\n", index, error.what());
    return 2;
  }
}

TEST(Concurrency, ProcessesWritingAtOnceLoseNothing) {
  testing::TempDirectory directory;
  const auto file = directory.path() / "catalog.db";
  std::vector<pid_t> children;
  for (int index = 0; index < kProcesses; ++index) {
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) _exit(write_from_child(file, index));
    children.push_back(child);
  }
  for (pid_t child : children) {
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "a writer failed (see its message above)";
  }

  auto catalog = Catalog::open(file);
  auto runs = catalog->runs("tuning");
  EXPECT_EQ(runs.size(), std::size_t(kProcesses + 1));  // one shared run, one each
  track::Run shared = catalog->find_run("tuning/shared");
  RunDetails details = catalog->run_details(shared.id);
  ASSERT_EQ(details.jobs.size(), std::size_t(kProcesses));
  for (const auto& job : details.jobs) {
    EXPECT_EQ(job.status, JobStatus::kCompleted);
    auto summary = catalog->metric_summaries(job.id).at(0);
    EXPECT_EQ(summary.count, kBatches * kBatchSize);
    EXPECT_EQ(catalog->metric_points(shared.id, "objective", job.id).size(),
              std::size_t(kBatches * kBatchSize));
    EXPECT_DOUBLE_EQ(summary.std, 0);
  }
}

}  // namespace
}  // namespace archml::track
