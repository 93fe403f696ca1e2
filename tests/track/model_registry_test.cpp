#include "archml/track/model_registry.h"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <set>

#include "archml/core/error.h"
#include "archml/track/schema.h"
#include "temp_directory.h"

namespace archml::track {
namespace {

// A training job as `archml train` records it: parameters, metric series, the bundle's
// two artifacts and the data and recipe lineage edges.
std::int64_t record_training(Catalog& catalog, const std::string& run_name,
                             JobStatus status = JobStatus::kCompleted, bool with_bundle = true) {
  const Run run = catalog.create_run("fraud", run_name);
  const std::int64_t job =
      catalog.start_job(run.id, JobKind::kTraining, "archml train", current_process());
  catalog.set_parameters(job, {{"eta", "0.1"}, {"max_depth", run_name == "deep" ? "9" : "6"}});
  const std::vector<MetricPoint> points = {{"validation:aucpr", 0, 0.5, 1},
                                           {"validation:aucpr", 9, 0.8, 2},
                                           {"resource:rss_mb", 0, 100, 1}};
  catalog.log_metrics(job, points);
  const std::string bundle = "file:///store/" + run_name + "/bundle";
  if (with_bundle) {
    catalog.add_artifact(job, {"bundle/model.json", bundle + "/model.json", "application/json", 3,
                               "sha-of-" + run_name});
    catalog.add_artifact(
        job, {"bundle/bundle.json", bundle + "/bundle.json", "application/json", 2, "other"});
  }
  catalog.add_lineage(job,
                      {"data", "xxh64:0123456789abcdef file:///data/train.csv", "bundle", bundle});
  catalog.add_lineage(job, {"recipe", "sha256:feed automatic", "bundle", bundle});
  catalog.finish_job(job, status, status == JobStatus::kFailed ? "out of memory" : "");
  return job;
}

ErrorKind kind_of(const std::function<void()>& call, std::string* message = nullptr) {
  try {
    call();
  } catch (const Error& error) {
    if (message) *message = error.what();
    return error.kind();
  }
  return ErrorKind::kInternal;  // nothing thrown
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ModelRegistryTest : public ::testing::Test {
 protected:
  testing::TempDirectory directory_;
  std::shared_ptr<Catalog> catalog_ = Catalog::open(directory_.path() / "catalog.db");
  ModelRegistry registry_{catalog_};

  ModelVersion register_run(const std::string& group, const std::string& run_name) {
    return registry_.register_version(
        group, "from " + run_name,
        registry_.training_lineage(record_training(*catalog_, run_name)));
  }
  ModelVersion named(const std::string& group, const std::string& reference) {
    return registry_.version(parse_version_reference(group, reference));
  }
};

TEST_F(ModelRegistryTest, TheLineageIsTheTrainingJobsAsRecorded) {
  const std::int64_t job = record_training(*catalog_, "base");
  const ModelLineage lineage = registry_.training_lineage(job);
  EXPECT_EQ(lineage.job_id, job);
  EXPECT_EQ(lineage.run_id, catalog_->find_run("fraud/base").id);
  EXPECT_EQ(lineage.experiment, "fraud");
  EXPECT_EQ(lineage.run, "base");
  EXPECT_EQ(lineage.bundle_uri, "file:///store/base/bundle");
  EXPECT_EQ(lineage.model_sha256, "sha-of-base");
  EXPECT_EQ(lineage.data_digest, "xxh64:0123456789abcdef");
  EXPECT_EQ(lineage.data_uri, "file:///data/train.csv");
  EXPECT_EQ(lineage.recipe_digest, "sha256:feed");
  EXPECT_EQ(lineage.recipe_source, "automatic");
  EXPECT_EQ(lineage.parameters.at("max_depth"), "6");
  EXPECT_DOUBLE_EQ(lineage.metrics.at("validation:aucpr"), 0.8);  // the last value
  EXPECT_EQ(lineage.metrics.count("resource:rss_mb"), 0u) << "process samples are not kept";
}

TEST_F(ModelRegistryTest, VersionsAreNumberedPerGroupFromOneAndStartPending) {
  const ModelVersion first = register_run("fraud", "a");
  const ModelVersion second = register_run("fraud", "b");
  const ModelVersion other = register_run("churn", "c");
  EXPECT_EQ(first.version, 1);
  EXPECT_EQ(second.version, 2);
  EXPECT_EQ(other.version, 1);
  EXPECT_EQ(second.group, "fraud");
  EXPECT_EQ(second.uri(), "models:/fraud/2");
  EXPECT_EQ(second.status, ApprovalStatus::kPendingManualApproval);
  EXPECT_EQ(second.description, "from b");
  EXPECT_GT(second.created_at, 0);
  EXPECT_EQ(second.lineage.run, "b");
  EXPECT_DOUBLE_EQ(second.lineage.metrics.at("validation:aucpr"), 0.8);

  const auto versions = registry_.versions("fraud");
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].version, 2) << "newest first";
  const auto groups = registry_.groups();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].name, "churn");
  EXPECT_EQ(groups[1].versions, 2);
  EXPECT_EQ(groups[1].latest_version, 2);
  EXPECT_FALSE(groups[1].latest_approved.has_value());
}

TEST_F(ModelRegistryTest, OnlyACompletedTrainingWithABundleCanBeRegistered) {
  std::string message;
  const std::int64_t failed = record_training(*catalog_, "failed", JobStatus::kFailed);
  EXPECT_EQ(kind_of([&] { registry_.training_lineage(failed); }, &message),
            ErrorKind::kInvalidInput);
  EXPECT_TRUE(contains(message, "Failed") && contains(message, "out of memory") &&
              contains(message, "fraud/failed"))
      << message;
  const std::int64_t stopped = record_training(*catalog_, "stopped", JobStatus::kStopped);
  EXPECT_EQ(kind_of([&] { registry_.training_lineage(stopped); }), ErrorKind::kInvalidInput);

  const track::Run run = catalog_->create_run("fraud", std::string("running"));
  const std::int64_t running =
      catalog_->start_job(run.id, JobKind::kTraining, "archml train", current_process());
  EXPECT_EQ(kind_of([&] { registry_.training_lineage(running); }, &message),
            ErrorKind::kInvalidInput);
  EXPECT_TRUE(contains(message, "InProgress")) << message;

  const std::int64_t evaluation =
      catalog_->start_job(run.id, JobKind::kEvaluation, "archml evaluate", current_process());
  catalog_->finish_job(evaluation, JobStatus::kCompleted);
  EXPECT_EQ(kind_of([&] { registry_.training_lineage(evaluation); }, &message),
            ErrorKind::kInvalidInput);
  EXPECT_TRUE(contains(message, "evaluation")) << message;

  const std::int64_t bundleless =
      record_training(*catalog_, "bundleless", JobStatus::kCompleted, false);
  EXPECT_EQ(kind_of([&] { registry_.training_lineage(bundleless); }, &message),
            ErrorKind::kInvalidInput);
  EXPECT_TRUE(contains(message, "no bundle")) << message;

  EXPECT_EQ(kind_of([&] { registry_.training_lineage(9999); }), ErrorKind::kNotFound);
  EXPECT_TRUE(registry_.groups().empty()) << "nothing was registered";
}

TEST_F(ModelRegistryTest, ApprovalStatusesAndLatestApproved) {
  register_run("fraud", "a");
  register_run("fraud", "b");
  register_run("fraud", "c");
  std::string message;
  EXPECT_EQ(kind_of([&] { named("fraud", "latest-approved"); }, &message), ErrorKind::kNotFound);
  EXPECT_TRUE(contains(message, "no Approved version")) << message;

  const ModelVersion approved =
      registry_.set_status("fraud", 1, ApprovalStatus::kApproved, "signed off");
  EXPECT_EQ(approved.status, ApprovalStatus::kApproved);
  EXPECT_EQ(approved.status_note, "signed off");
  EXPECT_GE(approved.status_changed_at, approved.created_at);
  registry_.set_status("fraud", 2, ApprovalStatus::kApproved, "");
  EXPECT_EQ(named("fraud", "latest-approved").version, 2);
  registry_.set_status("fraud", 2, ApprovalStatus::kRejected, "recall dropped");
  EXPECT_EQ(named("fraud", "latest-approved").version, 1) << "a rejected version drops out";
  EXPECT_EQ(registry_.version_number(parse_model_uri("models:/fraud@latest-approved")), 1);
  EXPECT_EQ(registry_.group("fraud").latest_approved, 1);
  EXPECT_EQ(named("fraud", "3").status, ApprovalStatus::kPendingManualApproval);
  EXPECT_EQ(kind_of([&] { registry_.set_status("fraud", 7, ApprovalStatus::kApproved, ""); }),
            ErrorKind::kNotFound);
  EXPECT_EQ(parse_approval_status("PendingManualApproval"), ApprovalStatus::kPendingManualApproval);
  EXPECT_EQ(kind_of([] { parse_approval_status("approved"); }), ErrorKind::kInvalidInput);
}

TEST_F(ModelRegistryTest, AliasesAreSetMovedAndRemoved) {
  register_run("fraud", "a");
  register_run("fraud", "b");
  EXPECT_FALSE(registry_.set_alias("fraud", "production", 1).has_value()) << "a new alias";
  registry_.set_alias("fraud", "staging", 2);
  EXPECT_EQ(named("fraud", "production").version, 1);
  EXPECT_EQ(registry_.version_number(parse_model_uri("models:/fraud@production")), 1);
  EXPECT_EQ(named("fraud", "1").aliases, std::vector<std::string>{"production"});

  EXPECT_EQ(registry_.set_alias("fraud", "production", 2), 1) << "moved from version 1";
  EXPECT_EQ(named("fraud", "production").version, 2);
  EXPECT_EQ(named("fraud", "2").aliases, (std::vector<std::string>{"production", "staging"}));
  EXPECT_TRUE(named("fraud", "1").aliases.empty());
  EXPECT_EQ(registry_.group("fraud").aliases,
            (std::map<std::string, std::int64_t>{{"production", 2}, {"staging", 2}}));

  EXPECT_EQ(registry_.remove_alias("fraud", "staging"), 2);
  std::string message;
  EXPECT_EQ(kind_of([&] { named("fraud", "staging"); }, &message), ErrorKind::kNotFound);
  EXPECT_TRUE(contains(message, "no alias 'staging'") && contains(message, "production"))
      << message;
  EXPECT_EQ(kind_of([&] { registry_.remove_alias("fraud", "staging"); }), ErrorKind::kNotFound);
  EXPECT_EQ(kind_of([&] { registry_.set_alias("fraud", "latest", 1); }), ErrorKind::kInvalidInput);
  EXPECT_EQ(kind_of([&] { registry_.set_alias("fraud", "canary", 9); }), ErrorKind::kNotFound);
  EXPECT_EQ(kind_of([&] { registry_.set_alias("nope", "canary", 1); }), ErrorKind::kNotFound);
}

TEST_F(ModelRegistryTest, ARejectedVersionTakesAnAliasOnlyWithForce) {
  register_run("fraud", "a");
  registry_.set_status("fraud", 1, ApprovalStatus::kRejected, "");
  std::string message;
  EXPECT_EQ(kind_of([&] { registry_.set_alias("fraud", "production", 1); }, &message),
            ErrorKind::kInvalidInput);
  EXPECT_TRUE(contains(message, "Rejected") && contains(message, "--force")) << message;
  EXPECT_NO_THROW(registry_.set_alias("fraud", "production", 1, true));
  EXPECT_EQ(named("fraud", "production").version, 1);
}

TEST_F(ModelRegistryTest, DeletingAnAliasedVersionNeedsForceAndNumbersAreNeverReused) {
  register_run("fraud", "a");
  register_run("fraud", "b");
  registry_.set_alias("fraud", "production", 2);
  std::string message;
  EXPECT_EQ(kind_of([&] { registry_.delete_version("fraud", 2); }, &message),
            ErrorKind::kInvalidInput);
  EXPECT_TRUE(contains(message, "production") && contains(message, "--force")) << message;
  EXPECT_EQ(named("fraud", "2").version, 2) << "still there";

  EXPECT_TRUE(registry_.delete_version("fraud", 1).empty()) << "no alias: no force needed";
  EXPECT_EQ(registry_.delete_version("fraud", 2, true), std::vector<std::string>{"production"});
  EXPECT_EQ(kind_of([&] { named("fraud", "production"); }), ErrorKind::kNotFound);
  EXPECT_EQ(kind_of([&] { named("fraud", "2"); }, &message), ErrorKind::kNotFound);
  EXPECT_TRUE(contains(message, "no version 2")) << message;
  EXPECT_EQ(register_run("fraud", "c").version, 3) << "the deleted numbers stay taken";
}

TEST_F(ModelRegistryTest, DeletingAGroupWithVersionsNeedsForce) {
  register_run("fraud", "a");
  registry_.set_alias("fraud", "production", 1);
  EXPECT_EQ(kind_of([&] { registry_.delete_group("fraud"); }), ErrorKind::kInvalidInput);
  EXPECT_EQ(registry_.delete_group("fraud", true), 1);
  EXPECT_TRUE(registry_.groups().empty());
  EXPECT_EQ(kind_of([&] { registry_.delete_group("fraud"); }), ErrorKind::kNotFound);
}

TEST_F(ModelRegistryTest, UnknownGroupsVersionsAndAliasesAreNotFoundNamingWhatExists) {
  register_run("fraud", "a");
  register_run("fraud", "b");
  std::string message;
  EXPECT_EQ(kind_of([&] { named("churn", "1"); }, &message), ErrorKind::kNotFound);
  EXPECT_TRUE(contains(message, "no model group 'churn'") && contains(message, "fraud")) << message;
  EXPECT_EQ(kind_of([&] { registry_.versions("churn"); }), ErrorKind::kNotFound);
  EXPECT_EQ(kind_of([&] { named("fraud", "5"); }, &message), ErrorKind::kNotFound);
  EXPECT_TRUE(contains(message, "versions: 2, 1")) << message;
  EXPECT_EQ(kind_of([&] { named("fraud", "production"); }, &message), ErrorKind::kNotFound);
  EXPECT_TRUE(contains(message, "archml models alias fraud production")) << message;
  EXPECT_EQ(kind_of([&] { registry_.register_version("bad/name", "", {}); }),
            ErrorKind::kInvalidInput);
}

TEST_F(ModelRegistryTest, AVersionOutlivesItsRunWithItsLineage) {
  const ModelVersion registered = register_run("fraud", "a");
  catalog_->delete_experiment("fraud");
  const ModelVersion kept = named("fraud", "1");
  EXPECT_FALSE(kept.lineage.run_id.has_value());
  EXPECT_FALSE(kept.lineage.job_id.has_value());
  EXPECT_EQ(kept.lineage.run, "a");
  EXPECT_EQ(kept.lineage.data_digest, registered.lineage.data_digest);
  EXPECT_EQ(kept.lineage.parameters, registered.lineage.parameters);
  EXPECT_EQ(kept.lineage.bundle_uri, registered.lineage.bundle_uri);
}

TEST(ModelRegistryMigration, AVersion2CatalogGainsTheRegistryAndKeepsItsRuns) {
  testing::TempDirectory directory;
  const auto file = directory.path() / "catalog.db";
  {
    Connection old(file.string());
    migrate(old, 2);
    old.execute(
        "INSERT INTO experiments VALUES (1, 'e', '', 0); INSERT INTO runs VALUES (1, 1, 'r', 0);");
  }
  auto catalog = Catalog::open(file);
  Connection check(file.string());
  EXPECT_EQ(schema_version(check), latest_schema_version());
  EXPECT_EQ(catalog->find_run("e/r").id, 1);
  ModelRegistry registry(catalog);
  EXPECT_TRUE(registry.groups().empty());
  EXPECT_EQ(
      registry
          .register_version("fraud", "", registry.training_lineage(record_training(*catalog, "a")))
          .version,
      1);
}

// Processes registering versions of one group at once, each with its own connection:
// every version gets its own number, none is lost.
TEST(ModelRegistryConcurrency, ProcessesRegisteringAtOnceGetDistinctNumbers) {
  constexpr int kProcesses = 6;
  constexpr int kEach = 8;
  testing::TempDirectory directory;
  const auto file = directory.path() / "catalog.db";
  ModelLineage lineage;
  {
    auto catalog = Catalog::open(file);
    lineage = ModelRegistry(catalog).training_lineage(record_training(*catalog, "shared"));
  }
  std::vector<pid_t> children;
  for (int index = 0; index < kProcesses; ++index) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      int status = 0;
      try {
        ModelRegistry registry(std::make_shared<Catalog>(file));
        for (int i = 0; i < kEach; ++i)
          registry.register_version("fraud", "process " + std::to_string(index), lineage);
      } catch (const std::exception& error) {
        std::fprintf(stderr, "child %d: %s\n", index, error.what());
        status = 2;
      }
      _exit(status);
    }
    children.push_back(child);
  }
  for (pid_t child : children) {
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "a registering process failed (see above)";
  }
  ModelRegistry registry(Catalog::open(file));
  const auto versions = registry.versions("fraud");
  ASSERT_EQ(versions.size(), std::size_t(kProcesses * kEach));
  std::set<std::int64_t> numbers;
  for (const auto& version : versions) numbers.insert(version.version);
  EXPECT_EQ(numbers.size(), std::size_t(kProcesses * kEach)) << "a number was given twice";
  EXPECT_EQ(*numbers.begin(), 1);
  EXPECT_EQ(*numbers.rbegin(), kProcesses * kEach);
  EXPECT_EQ(registry.group("fraud").latest_version, kProcesses * kEach);
}

}  // namespace
}  // namespace archml::track
