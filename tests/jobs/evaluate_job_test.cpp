#include "archml/jobs/evaluate_job.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "archml/core/error.h"
#include "archml/jobs/train_job.h"

namespace archml::jobs {
namespace {

namespace fs = std::filesystem;

// Trains one small binary model for every test: 3,000 rows, about 10% positives that
// depend on `amount` and `kind`, and a `flagged` rules column that catches some of them.
class EvaluateJobTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    directory_ = new fs::path(fs::temp_directory_path() /
                              ("archml-evaluate-job-" + std::to_string(::getpid())));
    fs::create_directories(*directory_);
    std::mt19937_64 random(7);
    std::uniform_real_distribution<double> uniform(0, 1);
    std::ofstream csv(data_file());
    csv << "amount,kind,flagged,label\n";
    for (int i = 0; i < 3000; ++i) {
      double amount = uniform(random) * 1000;
      bool transfer = uniform(random) < 0.3;
      bool label = uniform(random) < (transfer && amount > 600 ? 0.6 : 0.02);
      bool flagged = label ? uniform(random) < 0.3 : uniform(random) < 0.01;
      csv << amount << ',' << (transfer ? "TRANSFER" : "PAYMENT") << ',' << flagged << ',' << label
          << '\n';
    }
    csv.close();
    TrainJobOptions options;
    options.data_file = data_file();
    options.target = "label";
    options.hyperparameters = {"num_round=10", "max_depth=3"};
    options.out_dir = *directory_ / "train";
    train_ = new TrainJobResult(run_train_job(JobContext{}, options));
  }
  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(*directory_, ignored);
    delete train_;
    delete directory_;
  }
  static std::string data_file() { return (*directory_ / "data.csv").string(); }
  static EvaluateJobOptions options(const std::string& out) {
    EvaluateJobOptions options;
    options.model = *directory_ / "train";
    options.out = *directory_ / out;
    return options;
  }

  static fs::path* directory_;
  static TrainJobResult* train_;
};

fs::path* EvaluateJobTest::directory_ = nullptr;
TrainJobResult* EvaluateJobTest::train_ = nullptr;

TEST_F(EvaluateJobTest, TestSplitReproducesTrainingsTestMetrics) {
  EvaluateJobOptions request = options("eval");
  request.baseline_column = "flagged";
  request.positives_noun = "frauds";
  request.rows_noun = "transactions";
  EvaluateJobResult result = run_evaluate_job(JobContext{}, request);
  ASSERT_TRUE(result.binary.has_value());
  EXPECT_EQ(result.rows, train_->test_rows);
  EXPECT_EQ(result.binary->cutoff, train_->metadata.cutoff);
  EXPECT_DOUBLE_EQ(result.binary->roc_auc, train_->test_metrics["auc"].get<double>());
  EXPECT_DOUBLE_EQ(result.binary->log_loss, train_->test_metrics["logloss"].get<double>());
  EXPECT_EQ(result.json["metrics"]["confusion"], train_->test_metrics["confusion"]);
  ASSERT_TRUE(result.binary->baseline.has_value());
  EXPECT_EQ(result.json["baseline_column"], "flagged");
  EXPECT_NE(result.business_view.chosen.find("frauds"), std::string::npos);
  EXPECT_NE(result.business_view.chosen.find("per 1,000 transactions"), std::string::npos);
  for (const auto& path : {result.json_path, result.html_path, result.scores_path})
    EXPECT_TRUE(fs::exists(path)) << path;
  std::ifstream scores(result.scores_path);
  std::string header;
  std::getline(scores, header);
  EXPECT_EQ(header, "row,label,score");
  std::size_t lines = 0;
  for (std::string line; std::getline(scores, line);) ++lines;
  EXPECT_EQ(lines, result.rows);
}

TEST_F(EvaluateJobTest, CutoffAndCostsOverrideTheBundles) {
  EvaluateJobOptions request = options("eval-override");
  request.cutoff = 0.3;
  request.costs = eval::CostMatrix{0, 1, 10, 1};
  EvaluateJobResult result = run_evaluate_job(JobContext{}, request);
  EXPECT_EQ(result.binary->cutoff, 0.3);
  EXPECT_EQ(result.json["cutoff_source"], "--cutoff");
  EXPECT_EQ(result.json["costs"]["fn"], 10.0);
  EXPECT_NE(result.business_view.chosen.find("set with --cutoff"), std::string::npos);
  EXPECT_NE(result.business_view.chosen.find("label cases"), std::string::npos)
      << "numeric classes name the positives after the target";
}

TEST_F(EvaluateJobTest, DataFileAloneEvaluatesEveryRow) {
  EvaluateJobOptions request = options("eval-all");
  request.data_file = data_file();
  request.rows = EvaluationRows::kAll;
  EXPECT_EQ(run_evaluate_job(JobContext{}, request).rows, 3000u);
}

TEST_F(EvaluateJobTest, SplitOfAnotherFileIsRefused) {
  fs::path other = *directory_ / "other.csv";
  std::ofstream(other) << "amount,kind,flagged,label\n1,PAYMENT,0,0\n2,TRANSFER,1,1\n";
  EvaluateJobOptions request = options("eval-other");
  request.data_file = other.string();
  try {
    run_evaluate_job(JobContext{}, request);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("not the file the model was trained on"),
              std::string::npos)
        << error.what();
  }
}

TEST_F(EvaluateJobTest, BadInputsNameTheProblem) {
  EvaluateJobOptions missing_column = options("eval-bad");
  missing_column.baseline_column = "isFlaggedFraud";
  try {
    run_evaluate_job(JobContext{}, missing_column);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
    EXPECT_NE(std::string(error.what()).find("flagged"), std::string::npos)
        << "lists the columns: " << error.what();
  }
  EvaluateJobOptions text_baseline = options("eval-bad");
  text_baseline.baseline_column = "kind";
  EXPECT_THROW(run_evaluate_job(JobContext{}, text_baseline), Error);
  EvaluateJobOptions bad_cutoff = options("eval-bad");
  bad_cutoff.cutoff = 1.0;
  EXPECT_THROW(run_evaluate_job(JobContext{}, bad_cutoff), Error);
  EvaluateJobOptions no_model = options("eval-bad");
  no_model.model = *directory_ / "no-such-model";
  try {
    run_evaluate_job(JobContext{}, no_model);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
  }
  EXPECT_THROW(parse_evaluation_rows("testing"), Error);
}

}  // namespace
}  // namespace archml::jobs
