#include "archml/serve/model_source.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>

#include "archml/core/error.h"
#include "archml/jobs/model_registration.h"
#include "archml/jobs/train_job.h"
#include "archml/store/open_store.h"

namespace archml::serve {
namespace {

namespace fs = std::filesystem;

// Two small models trained and recorded as `archml train` records them, registered as
// versions 1 and 2 of "fraud"; an endpoint serving models:/fraud@production.
class RegistryFollowerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    directory_ = new fs::path(fs::temp_directory_path() /
                              ("archml-model-source-" + std::to_string(::getpid())));
    fs::create_directories(*directory_);
    std::mt19937_64 random(5);
    std::uniform_real_distribution<double> uniform(0, 1);
    std::ofstream csv(*directory_ / "data.csv");
    csv << "amount,kind,label\n";
    for (int i = 0; i < 600; ++i) {
      const double amount = uniform(random) * 1000;
      const bool transfer = uniform(random) < 0.3;
      csv << amount << ',' << (transfer ? "TRANSFER" : "PAYMENT") << ','
          << (uniform(random) < (transfer && amount > 600 ? 0.7 : 0.05)) << '\n';
    }
    csv.close();
    auto catalog = track::Catalog::open(*directory_ / "catalog.db");
    jobs::JobContext context;
    context.progress = false;
    for (const char* depth : {"1", "4"}) {
      jobs::RecorderOptions quiet;
      quiet.command_line = "archml train";
      jobs::JobRecorder recorder(catalog, catalog->create_run("fraud", std::nullopt),
                                 track::JobKind::kTraining, quiet);
      recorder.keep_artifacts_in(store::open_artifact_store((*directory_ / "store").string()));
      jobs::TrainJobOptions options;
      options.data_file = (*directory_ / "data.csv").string();
      options.target = "label";
      options.hyperparameters = {"num_round=4", std::string("max_depth=") + depth};
      options.out_dir = *directory_ / (std::string("out-") + depth);
      options.recorder = &recorder;
      jobs::run_recorded(&recorder, [&] { jobs::run_train_job(context, options); });
      track::ModelRegistry registry(catalog);
      jobs::register_model(context, registry, options.out_dir.string(), "fraud", "");
    }
  }
  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(*directory_, ignored);
    delete directory_;
  }

  void SetUp() override {
    catalog_ = track::Catalog::open(*directory_ / "catalog.db");
    registry_ = std::make_unique<track::ModelRegistry>(catalog_);
    registry_->set_alias("fraud", "production", 1);
    log_ = std::tmpfile();
  }
  void TearDown() override {
    std::fclose(log_);
    const auto versions = registry_->versions("fraud");
    if (versions.size() == 2) registry_->set_alias("fraud", "production", 1);
  }

  // The locator serve uses, on the workspace whose catalog this test writes.
  ModelLocator locator() {
    jobs::JobContext context;
    context.workspace.home = *directory_;
    return registry_locator(context, uri_);
  }
  std::unique_ptr<Endpoint> endpoint() {
    EndpointOptions options;
    options.locate = locator();
    return std::make_unique<Endpoint>(options);
  }
  std::string log_text() {
    std::fflush(log_);
    std::rewind(log_);
    std::string text;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, log_) != nullptr) text += buffer;
    return text;
  }
  static std::string metrics_of(Endpoint& endpoint) {
    HttpRequest request;
    request.method = "GET";
    request.target = "/metrics";
    HttpResponse response;
    endpoint.handle(request, response);
    return response.body;
  }
  std::unique_ptr<RegistryFollower> follow(Endpoint& endpoint) {
    // An hour between polls: the test polls by hand, the thread never does.
    return std::make_unique<RegistryFollower>(endpoint, uri_, catalog_, std::chrono::hours(1),
                                              log_);
  }

  static fs::path* directory_;
  std::shared_ptr<track::Catalog> catalog_;
  std::unique_ptr<track::ModelRegistry> registry_;
  track::ModelUri uri_ = track::parse_model_uri("models:/fraud@production");
  std::FILE* log_ = nullptr;
};

fs::path* RegistryFollowerTest::directory_ = nullptr;

TEST_F(RegistryFollowerTest, TheEndpointServesWhatTheAliasNamesAndSaysSoOnMetrics) {
  auto served = endpoint();
  EXPECT_EQ(served->location().version, 1);
  EXPECT_EQ(served->location().group, "fraud");
  const std::string metrics = metrics_of(*served);
  EXPECT_NE(metrics.find("archml_serve_registry_model_info{group=\"fraud\",version=\"1\","
                         "uri=\"models:/fraud@production\"} 1"),
            std::string::npos)
      << metrics;
}

TEST_F(RegistryFollowerTest, AMovedAliasIsSwappedInOnTheNextPoll) {
  auto served = endpoint();
  auto follower = follow(*served);
  const std::string first_version = served->model()->version();
  EXPECT_FALSE(follower->poll()) << "nothing moved";
  registry_->set_alias("fraud", "production", 2);
  EXPECT_TRUE(follower->poll());
  EXPECT_EQ(served->location().version, 2);
  EXPECT_NE(served->model()->version(), first_version) << "another model.json serves";
  EXPECT_NE(metrics_of(*served).find("group=\"fraud\",version=\"2\""), std::string::npos);
  EXPECT_NE(log_text().find("moved: now serving fraud version 2 (was 1)"), std::string::npos)
      << log_text();
  EXPECT_FALSE(follower->poll()) << "already serving version 2";
}

TEST_F(RegistryFollowerTest, ARemovedAliasKeepsTheModelServingAndIsReportedOnce) {
  auto served = endpoint();
  auto follower = follow(*served);
  registry_->remove_alias("fraud", "production");
  EXPECT_FALSE(follower->poll());
  EXPECT_FALSE(follower->poll());
  EXPECT_EQ(served->location().version, 1);
  const std::string log = log_text();
  const auto first = log.find("cannot resolve models:/fraud@production");
  ASSERT_NE(first, std::string::npos) << log;
  EXPECT_EQ(log.find("cannot resolve", first + 1), std::string::npos) << "reported twice: " << log;
  EXPECT_NE(log.find("still serving version 1"), std::string::npos) << log;
}

TEST_F(RegistryFollowerTest, AVersionThatFailsToLoadLeavesTheCurrentOneServing) {
  auto served = endpoint();
  auto follower = follow(*served);
  // Version 2's model.json replaced behind the registry's back.
  const fs::path model = fs::path(registry_->version(track::parse_model_uri("models:/fraud/2"))
                                      .lineage.bundle_uri.substr(7)) /
                         "model.json";
  const fs::path kept = model.string() + ".kept";
  fs::copy_file(model, kept);
  std::ofstream(model) << "{}";
  registry_->set_alias("fraud", "production", 2);
  EXPECT_FALSE(follower->poll());
  EXPECT_FALSE(follower->poll()) << "not retried while the alias names the same version";
  EXPECT_EQ(served->location().version, 1);
  EXPECT_NE(log_text().find("failed to load"), std::string::npos) << log_text();
  EXPECT_NE(metrics_of(*served).find("archml_serve_model_reloads_total{outcome=\"failed\"} 1"),
            std::string::npos);
  fs::rename(kept, model);
  EXPECT_NO_THROW(served->reload()) << "SIGHUP's path retries at once";
  EXPECT_EQ(served->location().version, 2);
}

}  // namespace
}  // namespace archml::serve
