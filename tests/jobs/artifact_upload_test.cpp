#include "archml/jobs/artifact_upload.h"

#include <gtest/gtest.h>

#include <cstdlib>

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
  EXPECT_EQ(fetch_bundle("runs/fraud/bundle"), fs::path("runs/fraud/bundle"));
  try {
    fetch_bundle("s3://models");
    FAIL() << "a bucket without a key names no bundle";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
  }
}

class WorkspaceArtifactsTest : public ::testing::Test {
 protected:
  testing::TempDirectory directory_;
  void TearDown() override {
    track::set_artifacts_override("");
    ::unsetenv("ARCHML_ARTIFACTS");
  }
};

TEST_F(WorkspaceArtifactsTest, FlagThenEnvironmentThenConfigThenTheWorkspaceFolder) {
  ::unsetenv("ARCHML_ARTIFACTS");
  track::Workspace plain(directory_.path());
  EXPECT_EQ(plain.artifacts_uri(), (directory_.path() / "artifacts").string());
  EXPECT_FALSE(plain.artifacts_configured());

  core::write_text_file(directory_.path() / "config.yaml", "artifacts: s3://team/ws\n");
  track::Workspace configured(directory_.path());
  EXPECT_EQ(configured.artifacts_uri(), "s3://team/ws");
  EXPECT_TRUE(configured.artifacts_configured());

  ::setenv("ARCHML_ARTIFACTS", "s3://from-env/ws", 1);
  EXPECT_EQ(configured.artifacts_uri(), "s3://from-env/ws");

  track::set_artifacts_override("/srv/artifacts");
  EXPECT_EQ(configured.artifacts_uri(), "/srv/artifacts");
}

}  // namespace
}  // namespace archml::jobs
