#include "archml/jobs/artifact_upload.h"

#include <gtest/gtest.h>

#include "../track/temp_directory.h"
#include "archml/core/error.h"
#include "archml/core/text_file.h"
#include "archml/jobs/job_record.h"
#include "archml/store/open_store.h"
#include "archml/track/workspace.h"

namespace archml::jobs {
namespace {

namespace fs = std::filesystem;

class ArtifactUploadTest : public ::testing::Test {
 protected:
  testing::TempDirectory directory_;
  std::shared_ptr<track::Catalog> catalog_ = track::Catalog::open(directory_.path() / "catalog.db");
  track::Run run_ = catalog_->create_run("fraud", std::string("baseline"));
  fs::path store_root_ = directory_.path() / "store";

  RecorderOptions quiet() {
    RecorderOptions options;
    options.command_line = "archml test";
    return options;
  }
  fs::path write(const std::string& name, const std::string& text) {
    const fs::path file = directory_.path() / "out" / name;
    fs::create_directories(file.parent_path());
    core::write_text_file(file, text);
    return file;
  }
};

TEST_F(ArtifactUploadTest, TheStoreKeepsACopyUnderTheJobsPrefixAndTheCatalogPointsAtIt) {
  const fs::path model = write("bundle/model.json", "abc");
  JobRecorder recorder(catalog_, run_, track::JobKind::kTraining, quiet());
  recorder.keep_artifacts_in(store::open_artifact_store(store_root_.string()));
  run_recorded(&recorder, [&] {
    recorder.add_local_artifact("bundle/model.json", model, "application/json");
  });

  const std::string key = "experiments/fraud/runs/baseline/training-" +
                          std::to_string(recorder.job_id()) + "/bundle/model.json";
  EXPECT_EQ(job_artifact_prefix(run_, track::JobKind::kTraining, recorder.job_id()) +
                "/bundle/model.json",
            key);
  EXPECT_EQ(core::read_text_file(store_root_ / key, "copy"), "abc");
  EXPECT_TRUE(fs::exists(model)) << "the local output stays";
  const auto details = catalog_->run_details(run_.id);
  ASSERT_EQ(details.artifacts.size(), 1u);
  EXPECT_EQ(details.artifacts[0].uri, "file://" + (store_root_ / key).string());
  EXPECT_EQ(details.artifacts[0].size, 3u);
  EXPECT_EQ(details.artifacts[0].sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(catalog_->job(recorder.job_id()).status, track::JobStatus::kCompleted);
}

TEST_F(ArtifactUploadTest, ARefusedUploadFailsTheJobNamingTheFileAndRecordsNothing) {
  const fs::path metrics = write("metrics.json", "{}");
  JobRecorder recorder(catalog_, run_, track::JobKind::kTraining, quiet());
  recorder.keep_artifacts_in(store::open_artifact_store(store_root_.string()));
  // A folder where the object should go: the store cannot put the file there.
  fs::create_directories(store_root_ /
                         job_artifact_prefix(run_, track::JobKind::kTraining, recorder.job_id()) /
                         "metrics.json" / "occupied");
  try {
    run_recorded(&recorder,
                 [&] { recorder.add_local_artifact("metrics.json", metrics, "application/json"); });
    FAIL() << "the upload should have failed";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(metrics.string()), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("artifact store"), std::string::npos) << error.what();
  }
  EXPECT_EQ(catalog_->job(recorder.job_id()).status, track::JobStatus::kFailed);
  EXPECT_TRUE(catalog_->run_details(run_.id).artifacts.empty());
}

TEST_F(ArtifactUploadTest, ALocalModelPathIsUsedAsIsAndABucketAloneIsRefused) {
  EXPECT_EQ(fetch_bundle(JobContext{}, "runs/fraud/bundle"), fs::path("runs/fraud/bundle"));
  try {
    fetch_bundle(JobContext{}, "s3://models");
    FAIL() << "a bucket without a key names no bundle";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
  }
}

// What start_job reads from the context: two contexts in one process, each with its own
// workspace and store, record into their own catalogs and stores.
TEST(JobContextTest, TwoContextsInOneProcessRecordSeparately) {
  testing::TempDirectory directory;
  JobContext first;
  first.workspace.home = directory.path() / "home-a";
  first.threads = 1;
  JobContext second;
  second.workspace.home = directory.path() / "home-b";
  second.workspace.artifacts = (directory.path() / "store-b").string();
  second.threads = 3;
  auto a =
      start_job(first, {std::string("fraud"), std::string("run-a")}, track::JobKind::kTraining);
  auto b = start_job(second, {std::nullopt, std::nullopt}, track::JobKind::kTraining);
  a->complete();
  b->complete();
  EXPECT_EQ(a->artifact_store_uri(),
            fs::absolute(directory.path() / "home-a" / "artifacts").lexically_normal().string());
  EXPECT_EQ(b->artifact_store_uri(), (directory.path() / "store-b").string());
  auto runs_a = track::Workspace::open_existing(first.workspace).catalog()->runs();
  auto runs_b = track::Workspace::open_existing(second.workspace).catalog()->runs();
  ASSERT_EQ(runs_a.size(), 1u);
  ASSERT_EQ(runs_b.size(), 1u);
  EXPECT_EQ(runs_a[0].experiment, "fraud");
  EXPECT_EQ(runs_b[0].experiment, "default");
}

}  // namespace
}  // namespace archml::jobs
