#include "archml/jobs/model_registration.h"

#include <gtest/gtest.h>

#include "../track/temp_directory.h"
#include "archml/core/digest.h"
#include "archml/core/error.h"
#include "archml/core/text_file.h"
#include "archml/jobs/job_record.h"

namespace archml::jobs {
namespace {

namespace fs = std::filesystem;

// Training jobs recorded as `archml train` records them, their bundles in a folder store
// (store/<run>/bundle) and a local copy (out/<run>/bundle) as `--out` leaves it.
class ModelRegistrationTest : public ::testing::Test {
 protected:
  testing::TempDirectory directory_;
  std::shared_ptr<track::Catalog> catalog_ = track::Catalog::open(directory_.path() / "catalog.db");
  track::ModelRegistry registry_{catalog_};

  fs::path stored(const std::string& run) { return directory_.path() / "store" / run / "bundle"; }
  fs::path local(const std::string& run) { return directory_.path() / "out" / run; }

  std::int64_t train(const std::string& run_name,
                     track::JobStatus status = track::JobStatus::kCompleted) {
    const track::Run run = catalog_->create_run("fraud", run_name);
    const std::int64_t job = catalog_->start_job(run.id, track::JobKind::kTraining, "archml train",
                                                 track::current_process());
    const std::string model = "model of " + run_name;
    const std::string manifest =
        nlohmann::json{
            {"tracking",
             {{"experiment", "fraud"}, {"run", run_name}, {"run_id", run.id}, {"job_id", job}}}}
            .dump();
    for (const fs::path& bundle : {stored(run_name), local(run_name) / "bundle"}) {
      fs::create_directories(bundle);
      core::write_text_file(bundle / "model.json", model);
      core::write_text_file(bundle / "bundle.json", manifest);
    }
    const std::string uri = file_uri(stored(run_name));
    catalog_->add_artifact(job, {"bundle/model.json", uri + "/model.json", "application/json",
                                 model.size(), core::sha256_hex(model)});
    catalog_->add_artifact(job, {"bundle/bundle.json", uri + "/bundle.json", "application/json",
                                 manifest.size(), core::sha256_hex(manifest)});
    catalog_->add_lineage(job, {"data", "xxh64:00ff file:///train.csv", "bundle", uri});
    catalog_->finish_job(job, status, status == track::JobStatus::kFailed ? "bad target" : "");
    return job;
  }

  ErrorKind register_fails(const std::string& source, std::string* message = nullptr) {
    try {
      register_model(JobContext{}, registry_, source, "fraud", "");
    } catch (const Error& error) {
      if (message) *message = error.what();
      return error.kind();
    }
    ADD_FAILURE() << "registering " << source << " succeeded";
    return ErrorKind::kInternal;
  }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(ModelRegistrationTest, ARunRegistersItsNewestTrainingsBundleInTheStore) {
  train("a");
  const std::int64_t job = train("b");
  const track::ModelVersion version =
      register_model(JobContext{}, registry_, "fraud/b", "fraud", "second");
  EXPECT_EQ(version.version, 1);
  EXPECT_EQ(version.lineage.job_id, job);
  EXPECT_EQ(version.lineage.bundle_uri, file_uri(stored("b")));
  EXPECT_EQ(version.lineage.data_digest, "xxh64:00ff");
  EXPECT_EQ(version.description, "second");
  EXPECT_EQ(register_model(JobContext{}, registry_, std::to_string(catalog_->find_run("a").id),
                           "fraud", "")
                .lineage.run,
            "a")
      << "a run by its id";
}

TEST_F(ModelRegistrationTest, ABundleFolderRegistersTheJobItsBundleJsonNames) {
  const std::int64_t job = train("a");
  for (const fs::path& source : {local("a"), local("a") / "bundle"}) {
    const track::ModelVersion version =
        register_model(JobContext{}, registry_, source.string(), "fraud", "");
    EXPECT_EQ(version.lineage.job_id, job);
    EXPECT_EQ(version.lineage.bundle_uri, file_uri(stored("a"))) << "the store's copy, not --out";
  }
}

TEST_F(ModelRegistrationTest, AFailedTrainingIsRefused) {
  train("broken", track::JobStatus::kFailed);
  std::string message;
  EXPECT_EQ(register_fails("fraud/broken", &message), ErrorKind::kInvalidInput);
  EXPECT_TRUE(contains(message, "Failed") && contains(message, "bad target")) << message;
  EXPECT_EQ(register_fails(local("broken").string()), ErrorKind::kInvalidInput);
  EXPECT_EQ(catalog_->experiment_count(), 1);
  EXPECT_TRUE(registry_.groups().empty());
}

TEST_F(ModelRegistrationTest, ABundleGoneFromTheStoreIsRefused) {
  train("a");
  fs::remove(stored("a") / "model.json");
  std::string message;
  EXPECT_EQ(register_fails("fraud/a", &message), ErrorKind::kNotFound);
  EXPECT_TRUE(contains(message, "missing from the artifact store") &&
              contains(message, (stored("a") / "model.json").string()))
      << message;
  EXPECT_TRUE(registry_.groups().empty());
}

TEST_F(ModelRegistrationTest, ABundleFolderThatChangedOrNamesNoJobIsRefused) {
  train("a");
  core::write_text_file(local("a") / "bundle" / "model.json", "retrained since");
  std::string message;
  EXPECT_EQ(register_fails(local("a").string(), &message), ErrorKind::kInvalidInput);
  EXPECT_TRUE(contains(message, "SHA-256 differs")) << message;

  core::write_text_file(local("a") / "bundle" / "bundle.json", "{}");
  EXPECT_EQ(register_fails(local("a").string(), &message), ErrorKind::kInvalidInput);
  EXPECT_TRUE(contains(message, "names no training job")) << message;

  // Another workspace's bundle whose job id happens to exist here.
  core::write_text_file(local("a") / "bundle" / "bundle.json",
                        R"({"tracking": {"experiment": "x", "run": "y", "job_id": 1}})");
  EXPECT_EQ(register_fails(local("a").string(), &message), ErrorKind::kInvalidInput);
  EXPECT_TRUE(contains(message, "another workspace")) << message;
}

TEST_F(ModelRegistrationTest, AnUnknownSourceOrABadGroupIsRefused) {
  std::string message;
  EXPECT_EQ(register_fails("no-such-run", &message), ErrorKind::kNotFound);
  EXPECT_TRUE(contains(message, "no bundle folder 'no-such-run'")) << message;
  train("a");
  try {
    register_model(JobContext{}, registry_, "fraud/a", "bad group", "");
    FAIL() << "a bad group name was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
  }
}

TEST_F(ModelRegistrationTest, ARegisteredVersionIsLocatedOnlyWhileItsBundleIsIntact) {
  train("a");
  register_model(JobContext{}, registry_, "fraud/a", "fraud", "");
  registry_.set_alias("fraud", "production", 1);
  const LocatedModel located =
      locate_model(JobContext{}, registry_, track::parse_model_uri("models:/fraud@production"));
  EXPECT_EQ(located.directory, stored("a"));
  ASSERT_TRUE(located.version.has_value());
  EXPECT_EQ(located.version->version, 1);

  core::write_text_file(stored("a") / "model.json", "replaced");
  try {
    locate_model(JobContext{}, registry_, track::parse_model_uri("models:/fraud/1"));
    FAIL() << "a replaced model.json was served";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_TRUE(contains(error.what(), "SHA-256 differs")) << error.what();
  }
  fs::remove(stored("a") / "model.json");
  try {
    locate_model(JobContext{}, registry_, track::parse_model_uri("models:/fraud/1"));
    FAIL() << "a missing bundle was located";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
  }
}

}  // namespace
}  // namespace archml::jobs
