// The bundle round trip: a saved and reloaded bundle predicts exactly what the in-memory
// model did, from the bundle directory or the training output directory above it; its
// model.json is XGBoost's own (Python's xgboost predicts the same); corrupt or missing
// bundles fail with errors that say what to do.
#include "archml/model/bundle.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../support/toy_table.h"
#include "archml/core/error.h"
#include "archml/features/automatic_recipe.h"
#include "archml/model/predictor.h"
#include "archml/model/trainer.h"

namespace archml::model {
namespace {

namespace fs = std::filesystem;

data::Table make_table(std::size_t rows, unsigned seed) {
  return archml::testing::toy_binary_table(rows, seed, 17);
}

struct Trained {
  Bundle bundle;
  features::FeatureMatrix features;  // of the scoring rows
  std::vector<float> expected;       // the in-memory booster's predictions on them
};

Trained train_bundle() {
  const data::Table train_rows = make_table(800, 1);
  const data::Table score_rows = make_table(200, 2);
  auto fitted = features::automatic_recipe(train_rows, "y").fit(train_rows, "y");
  auto train_features = fitted.transform(train_rows);
  std::vector<float> labels;
  for (auto v : train_rows.column("y").ints()) labels.push_back(static_cast<float>(v));
  auto matrix =
      DMatrix::from_dense({train_features.data(), train_features.rows(), train_features.cols()},
                          labels, fitted.feature_names(), 1);
  auto trained = train(matrix, nullptr, Hyperparameters::parse({"num_round=15", "nthread=1"}));
  auto features = fitted.transform(score_rows);
  auto expected =
      trained.booster.predict(DenseView{features.data(), features.rows(), features.cols()}).values;
  BundleMetadata metadata;
  metadata.target.column = "y";
  metadata.target.kind = TargetKind::kBinary;
  metadata.target.classes = {"0", "1"};
  metadata.objective = trained.resolved.objective;
  metadata.cutoff = 0.37;
  metadata.rounds = trained.rounds;
  metadata.best_round = trained.best_round;
  metadata.importances = trained.booster.feature_importances();
  metadata.metrics = {{"validation:logloss", 0.25}};
  metadata.timings = {{"boosting", 0.5}};
  return {Bundle(std::move(trained.booster), std::move(fitted), metadata), std::move(features),
          expected};
}

class BundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() / ("archml_bundle_" + std::to_string(::getpid()));
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }
  fs::path directory_;
};

TEST_F(BundleTest, ReloadedBundlePredictsExactlyLikeTheModelInMemory) {
  Trained trained = train_bundle();
  trained.bundle.save(directory_ / "bundle");
  const data::Table score_rows = make_table(200, 2);
  for (const fs::path& path :
       {directory_ / "bundle", directory_ / fs::path(""), directory_ / "bundle" / "bundle.json"}) {
    Predictor predictor = Predictor::load(path);
    Predictions predictions = predictor.predict(score_rows);
    ASSERT_EQ(predictions.rows, 200u);
    ASSERT_EQ(predictions.scores.size(), trained.expected.size());
    for (std::size_t i = 0; i < predictions.scores.size(); ++i) {
      ASSERT_EQ(predictions.scores[i], static_cast<double>(trained.expected[i])) << i;
      ASSERT_EQ(predictions.labels[i], predictions.scores[i] >= 0.37 ? 1 : 0);
    }
  }
  Bundle loaded = Bundle::load(directory_);
  EXPECT_EQ(loaded.metadata().cutoff, 0.37);
  EXPECT_EQ(loaded.metadata().target.classes, (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(loaded.metadata().importances.size(), trained.bundle.metadata().importances.size());
  EXPECT_EQ(loaded.metadata().metrics, trained.bundle.metadata().metrics);
  EXPECT_EQ(loaded.recipe().input_schema(), trained.bundle.recipe().input_schema());
}

TEST_F(BundleTest, PredictorIsSafeFromSeveralThreads) {
  Trained trained = train_bundle();
  Predictor predictor(trained.bundle);
  const data::Table score_rows = make_table(200, 2);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int repeat = 0; repeat < 5; ++repeat) {
        auto predictions = predictor.predict(score_rows);
        for (std::size_t i = 0; i < predictions.scores.size(); ++i)
          if (predictions.scores[i] != trained.expected[i]) ++mismatches;
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST_F(BundleTest, PythonXGBoostLoadsModelJsonAndPredictsTheSame) {
  if (std::system("/usr/bin/python3 -c 'import xgboost' >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "SKIP: /usr/bin/python3 has no xgboost (Debian package python3-xgboost)";
  Trained trained = train_bundle();
  trained.bundle.save(directory_ / "bundle");
  {
    std::ofstream data(directory_ / "rows.f32", std::ios::binary);
    data.write(reinterpret_cast<const char*>(trained.features.data()),
               static_cast<std::streamsize>(trained.features.rows() * trained.features.cols() *
                                            sizeof(float)));
    std::ofstream cases(directory_ / "cases.json");
    cases << nlohmann::json::array({{{"model", "bundle/model.json"},
                                     {"data", "rows.f32"},
                                     {"rows", trained.features.rows()},
                                     {"cols", trained.features.cols()}}})
                 .dump();
  }
  const std::string command = "/usr/bin/python3 " ARCHML_SOURCE_DIR
                              "/tests/model/xgboost_reference.py " +
                              directory_.string();
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(directory_ / "predictions.json");
  auto python = nlohmann::json::parse(in).at(0).at("predictions").get<std::vector<double>>();
  Predictor predictor = Predictor::load(directory_);
  auto ours = predictor.predict(make_table(200, 2)).scores;
  ASSERT_EQ(python.size(), ours.size());
  for (std::size_t i = 0; i < ours.size(); ++i) EXPECT_NEAR(python[i], ours[i], 1e-6) << i;
}

TEST_F(BundleTest, MissingAndCorruptBundlesSayWhatToDo) {
  auto expect_error = [](const fs::path& path, ErrorKind kind, const std::string& words) {
    try {
      Bundle::load(path);
      ADD_FAILURE() << path << " loaded";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), kind) << error.what();
      EXPECT_NE(std::string(error.what()).find(words), std::string::npos) << error.what();
    }
  };
  expect_error(directory_ / "nowhere", ErrorKind::kNotFound, "no model at");
  expect_error(directory_, ErrorKind::kNotFound, "not a model bundle");

  Trained trained = train_bundle();
  trained.bundle.save(directory_ / "bundle");
  std::ofstream(directory_ / "bundle" / "model.json") << "{\"learner\": 3";
  expect_error(directory_, ErrorKind::kInvalidInput, "not a readable XGBoost model");

  trained.bundle.save(directory_ / "bundle");
  std::ofstream(directory_ / "bundle" / "bundle.json") << "not json";
  expect_error(directory_, ErrorKind::kInvalidInput, "is corrupt");

  trained.bundle.save(directory_ / "bundle");
  auto json = trained.bundle.metadata_json();
  json.erase("recipe");
  std::ofstream(directory_ / "bundle" / "bundle.json") << json.dump();
  expect_error(directory_, ErrorKind::kInvalidInput, "is corrupt");
}

}  // namespace
}  // namespace archml::model
