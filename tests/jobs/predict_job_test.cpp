#include "archml/jobs/predict_job.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "archml/core/error.h"
#include "archml/data/csv_reader.h"
#include "archml/jobs/train_job.h"

namespace archml::jobs {
namespace {

namespace fs = std::filesystem;

// One small binary model whose one-hot refuses unseen categories, so that a row can be
// made unscoreable by its `kind` alone.
class PredictJobTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    directory_ = new fs::path(fs::temp_directory_path() /
                              ("archml-predict-job-" + std::to_string(::getpid())));
    fs::create_directories(*directory_);
    std::mt19937_64 random(11);
    std::uniform_real_distribution<double> uniform(0, 1);
    std::ofstream csv(*directory_ / "data.csv");
    csv << "id,amount,kind,label\n";
    for (int i = 0; i < 2000; ++i) {
      double amount = uniform(random) * 1000;
      bool transfer = uniform(random) < 0.3;
      bool label = uniform(random) < (transfer && amount > 600 ? 0.6 : 0.02);
      csv << "C" << i << ',' << amount << ',' << (transfer ? "TRANSFER" : "PAYMENT") << ',' << label
          << '\n';
    }
    csv.close();
    std::ofstream recipe(*directory_ / "recipe.yaml");
    recipe << "steps:\n  - drop: [id]\n  - one_hot: {columns: [kind], unseen: error}\n";
    recipe.close();
    TrainJobOptions options;
    options.data_file = (*directory_ / "data.csv").string();
    options.target = "label";
    options.recipe_file = (*directory_ / "recipe.yaml").string();
    options.hyperparameters = {"num_round=5", "max_depth=3"};
    options.out_dir = *directory_ / "train";
    run_train_job(JobContext{}, options);
    predictor_ = new model::Predictor(model::Predictor::load(*directory_ / "train"));
  }
  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(*directory_, ignored);
    delete predictor_;
    delete directory_;
  }

  static data::Table table() {
    data::CsvOptions csv;
    csv.progress_label.clear();
    return data::read_csv((*directory_ / "data.csv").string(), csv);
  }
  static std::string predict(const data::Table& rows, PredictJobOptions options,
                             PredictJobResult* result = nullptr) {
    std::ostringstream out;
    PredictJobResult r = predict_table(JobContext{}, *predictor_, rows, options, out);
    if (result) *result = r;
    return out.str();
  }

  static fs::path* directory_;
  static model::Predictor* predictor_;
};

fs::path* PredictJobTest::directory_ = nullptr;
model::Predictor* PredictJobTest::predictor_ = nullptr;

TEST_F(PredictJobTest, BatchSizeNeverChangesTheOutput) {
  data::Table rows = table();
  PredictJobOptions options;
  options.keep = {"id"};
  PredictJobResult whole;
  const std::string expected = predict(rows, options, &whole);
  EXPECT_EQ(whole.rows_scored, 2000u);
  EXPECT_EQ(expected.substr(0, expected.find('\n')), "id,score,label");
  for (std::size_t batch : {97u, 1000u, 1999u, 2000u, 5000u}) {
    options.batch_rows = batch;
    PredictJobResult result;
    EXPECT_EQ(predict(rows, options, &result), expected) << "batch_rows " << batch;
    EXPECT_EQ(result.positives, whole.positives) << "batch_rows " << batch;
  }
}

TEST_F(PredictJobTest, RowErrorPolicies) {
  data::Table rows = table();
  // Row 3 (1-based) gets a category training never saw.
  data::Column& kind = rows.mutable_column(static_cast<std::size_t>(rows.find("kind")));
  kind.mutable_codes()[2] = kind.mutable_dictionary().append("CRYPTO");

  PredictJobOptions options;
  options.batch_rows = 64;
  try {
    predict(rows, options);
    FAIL() << "an unseen category was scored";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("row 3 "), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("'kind'"), std::string::npos) << error.what();
  }

  options.on_error = RowErrorPolicy::kSkip;
  PredictJobResult skipped;
  predict(rows, options, &skipped);
  EXPECT_EQ(skipped.rows_scored, 1999u);
  EXPECT_EQ(skipped.rows_failed, 1u);
  ASSERT_EQ(skipped.errors.size(), 1u);
  EXPECT_EQ(skipped.errors[0].row, 3u);

  options.on_error = RowErrorPolicy::kEmpty;
  options.keep = {"id"};
  std::istringstream text(predict(rows, options));
  std::string line;
  std::getline(text, line);
  EXPECT_EQ(line, "id,score,label,error");
  for (int i = 0; i < 3; ++i) std::getline(text, line);
  EXPECT_EQ(line.substr(0, 6), "C2,,,\"");
  EXPECT_NE(line.find("CRYPTO"), std::string::npos);
}

TEST_F(PredictJobTest, WholeFileErrors) {
  data::Table rows = table();
  PredictJobOptions options;
  options.keep = {"account"};
  EXPECT_THROW(predict(rows, options), Error);
  options.keep.clear();
  options.cutoff = 1.5;
  EXPECT_THROW(predict(rows, options), Error);
  EXPECT_THROW(parse_row_error_policy("maybe"), Error);
  EXPECT_EQ(parse_predict_output("probabilities"), PredictOutput::kProbabilities);
}

}  // namespace
}  // namespace archml::jobs
