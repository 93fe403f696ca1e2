#include "archml/jobs/training_objective.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../support/paysim_data.h"
#include "archml/core/error.h"
#include "archml/data/csv_reader.h"
#include "archml/data/table_take.h"
#include "archml/model/predictor.h"

namespace archml::jobs {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string source_path(const std::string& relative) {
  return std::string(ARCHML_SOURCE_DIR) + "/" + relative;
}

json paysim_section() {
  return {{"data", testing::generated_paysim_csv()},
          {"target", "isFraud"},
          {"recipe", source_path("examples/paysim/recipe.yaml")},
          {"split", {{"strategy", "stratified"}, {"ratios", {0.7, 0.2, 0.1}}, {"seed", 1729}}},
          {"static_hyperparameters", {{"num_round", 12}, {"objective", "binary:logistic"}}}};
}

// Says go on until `stop_after` steps (0: never stops), and records what it heard.
class ScriptedReporter : public tune::TrialReporter {
 public:
  explicit ScriptedReporter(std::size_t stop_after = 0) : stop_after_(stop_after) {}
  bool report(std::size_t step, double objective) override {
    std::lock_guard lock(mutex_);
    steps.push_back(step);
    values.push_back(objective);
    return stop_after_ == 0 || step < stop_after_;
  }
  std::vector<std::size_t> steps;
  std::vector<double> values;

 private:
  std::size_t stop_after_;
  std::mutex mutex_;
};

class TrainingObjectiveTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    directory_ = new fs::path(fs::temp_directory_path() /
                              ("archml-training-objective-" + std::to_string(::getpid())));
    fs::create_directories(*directory_);
    objective_ = new TrainingObjective(JobContext{}, paysim_section(), "validation:aucpr",
                                       {"eta", "max_depth", "subsample"});
  }
  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(*directory_, ignored);
    delete objective_;
    delete directory_;
  }

  static tune::TrialRequest request(std::size_t number, std::string eta = "0.3",
                                    std::string depth = "4") {
    tune::TrialRequest request;
    request.trial_number = number;
    request.parameters = {{"eta", eta}, {"max_depth", depth}, {"subsample", "0.8"}};
    request.threads = 1;
    request.trial_dir = *directory_ / ("trial-" + std::to_string(number));
    return request;
  }

  static fs::path* directory_;
  static TrainingObjective* objective_;
};

fs::path* TrainingObjectiveTest::directory_ = nullptr;
TrainingObjective* TrainingObjectiveTest::objective_ = nullptr;

TEST_F(TrainingObjectiveTest, ReportsEveryRoundAndRunsTheStaticNumRoundWithoutABudget) {
  ScriptedReporter reporter;
  auto outcome = (*objective_)(request(1), reporter);
  EXPECT_EQ(objective_->default_steps(), 12u);
  EXPECT_EQ(outcome.steps, 12u);
  EXPECT_FALSE(outcome.stopped_early);
  ASSERT_EQ(reporter.steps.size(), 12u);
  for (std::size_t i = 0; i < reporter.steps.size(); ++i) EXPECT_EQ(reporter.steps[i], i + 1);
  // aucpr lies in [0, 1], and the outcome is the last round's value (no early stopping).
  for (double value : reporter.values) EXPECT_TRUE(value >= 0 && value <= 1) << value;
  EXPECT_DOUBLE_EQ(outcome.objective, reporter.values.back());
  // The workshop features separate PaySim-like fraud well even on 20,000 rows.
  EXPECT_GT(outcome.objective, 0.5);
}

TEST_F(TrainingObjectiveTest, StopsAtTheRoundTheReporterSaysStop) {
  ScriptedReporter reporter(3);
  auto outcome = (*objective_)(request(2), reporter);
  EXPECT_EQ(outcome.steps, 3u);
  EXPECT_TRUE(outcome.stopped_early);
  EXPECT_EQ(reporter.steps, (std::vector<std::size_t>{1, 2, 3}));
  EXPECT_DOUBLE_EQ(outcome.objective, reporter.values.back());
  auto bundle = model::Bundle::load(*directory_ / "trial-2");
  EXPECT_EQ(bundle.metadata().rounds, 3);
}

TEST_F(TrainingObjectiveTest, TheStepBudgetCapsNumRound) {
  ScriptedReporter reporter;
  auto trial = request(3);
  trial.max_steps = 5;
  auto outcome = (*objective_)(trial, reporter);
  EXPECT_EQ(outcome.steps, 5u);
  EXPECT_FALSE(outcome.stopped_early);
}

TEST_F(TrainingObjectiveTest, WritesABundleThatScoresRawRowsAsTheValidationMatrixDid) {
  ScriptedReporter reporter;
  auto trial = request(4, "0.2", "5");
  auto outcome = (*objective_)(trial, reporter);
  ASSERT_TRUE(fs::exists(trial.trial_dir / "metrics.json"));
  auto predictor = model::Predictor::load(trial.trial_dir);
  const auto& metadata = predictor.bundle().metadata();
  EXPECT_EQ(metadata.rounds, 12);
  EXPECT_DOUBLE_EQ(metadata.metrics.at("validation:aucpr").get<double>(), outcome.objective);
  EXPECT_EQ(metadata.hyperparameters.at("eta").get<double>(), 0.2);
  EXPECT_EQ(metadata.hyperparameters.at("max_depth").get<int>(), 5);
  EXPECT_GT(metadata.cutoff, 0.0);
  EXPECT_LT(metadata.cutoff, 1.0);
  // The cutoff came from scores on the quantised validation matrix; the bundle scores raw
  // rows through the recipe. They must agree.
  const TrainingData& data = objective_->data();
  const data::Table table = data::read_csv(data.metadata.data_file);
  auto raw = predictor.predict(data::take_rows(table, data.split.validation));
  auto quantised = predictor.bundle().booster().predict(*data.validation_matrix);
  ASSERT_EQ(raw.scores.size(), quantised.values.size());
  for (std::size_t i = 0; i < raw.scores.size(); ++i)
    EXPECT_NEAR(raw.scores[i], quantised.values[i], 1e-6) << "row " << i;
}

TEST_F(TrainingObjectiveTest, ParallelTrialsReportWhatTheyReportAlone) {
  ScriptedReporter alone_a, alone_b;
  (*objective_)(request(5, "0.1", "3"), alone_a);
  (*objective_)(request(6, "0.4", "6"), alone_b);
  ScriptedReporter together_a, together_b;
  std::thread first([&] { (*objective_)(request(7, "0.1", "3"), together_a); });
  std::thread second([&] { (*objective_)(request(8, "0.4", "6"), together_b); });
  first.join();
  second.join();
  EXPECT_EQ(together_a.values, alone_a.values);
  EXPECT_EQ(together_b.values, alone_b.values);
  EXPECT_NE(alone_a.values, alone_b.values);
}

TEST_F(TrainingObjectiveTest, AnOutOfRangeValueFailsTheTrial) {
  ScriptedReporter reporter;
  try {
    (*objective_)(request(9, "2.5"), reporter);
    FAIL() << "eta=2.5 trained";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("eta"), std::string::npos) << error.what();
  }
  EXPECT_TRUE(reporter.steps.empty());
}

// Every configuration error below is found before the data is read: the data file does
// not even exist, and the error is still about the configuration, not the file.
void expect_config_error(const json& section, const std::string& metric,
                         const std::vector<std::string>& tuned, const std::string& fragment) {
  try {
    TrainingObjective objective(JobContext{}, section, metric, tuned);
    FAIL() << "accepted; expected an error mentioning '" << fragment << "'";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput) << error.what();
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
  }
}

json missing_data_section() {
  json section = paysim_section();
  section["data"] = "/nonexistent/paysim.csv";
  return section;
}

TEST(TrainingObjectiveConfig, UnknownTunedHyperparameterIsRejectedWithAHint) {
  expect_config_error(missing_data_section(), "validation:aucpr", {"eta", "max_dept"}, "max_depth");
  expect_config_error(missing_data_section(), "validation:aucpr", {"learning_rate"}, "eta");
}

TEST(TrainingObjectiveConfig, UnknownOrNonValidationMetricIsRejected) {
  expect_config_error(missing_data_section(), "validation:aucroc", {"eta"}, "aucroc");
  expect_config_error(missing_data_section(), "train:auc", {"eta"}, "validation");
  expect_config_error(missing_data_section(), "aucpr", {"eta"}, "validation");
}

TEST(TrainingObjectiveConfig, ManagedOrDuplicatedHyperparametersCannotBeTuned) {
  expect_config_error(missing_data_section(), "validation:auc", {"nthread"}, "threads");
  expect_config_error(missing_data_section(), "validation:auc", {"max_bin"}, "max_bin");
  expect_config_error(missing_data_section(), "validation:auc", {"num_round"}, "static");
  expect_config_error(missing_data_section(), "validation:auc", {"eta", "eta"}, "more than one");
}

TEST(TrainingObjectiveConfig, MalformedSectionsAreRejected) {
  json section = missing_data_section();
  section["targett"] = "isFraud";
  expect_config_error(section, "validation:auc", {"eta"}, "targett");
  section = missing_data_section();
  section.erase("target");
  expect_config_error(section, "validation:auc", {"eta"}, "training.target");
  section = missing_data_section();
  section["static_hyperparameters"]["eta"] = 7;
  expect_config_error(section, "validation:auc", {"max_depth"}, "eta");
  section = missing_data_section();
  section["static_hyperparameters"]["tree_method"] = "approx";
  section["data"] = paysim_section()["data"];
  expect_config_error(section, "validation:auc", {"eta"}, "tree_method=hist");
  section = missing_data_section();
  section["split"] = {{"strategy", "sideways"}};
  expect_config_error(section, "validation:auc", {"eta"}, "sideways");
}

TEST(TrainingObjectiveConfig, AMissingDataFileIsNotFound) {
  try {
    TrainingObjective objective(JobContext{}, missing_data_section(), "validation:auc", {"eta"});
    FAIL() << "accepted a missing data file";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound) << error.what();
  }
}

TEST(TrainingObjectiveConfig, AMetricOfAnotherTaskIsRejectedBeforeAnyTrial) {
  expect_config_error(paysim_section(), "validation:mlogloss", {"eta"}, "mlogloss");
}

}  // namespace
}  // namespace archml::jobs
