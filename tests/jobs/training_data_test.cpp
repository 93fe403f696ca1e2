#include "archml/jobs/training_data.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "archml/core/error.h"
#include "archml/data/csv_reader.h"
#include "archml/data/table_take.h"
#include "archml/model/predictor.h"
#include "archml/model/target_encoding.h"
#include "archml/model/trainer.h"
#include "archml/model/tree_ensemble.h"

namespace archml::jobs {
namespace {

namespace fs = std::filesystem;

// prepare_training_data transforms every part once, in table order and in chunks, and
// releases the raw table as it goes; these tests hold it to what transforming each part's
// raw rows directly gives.
class TrainingDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() / ("archml-training-data-" + std::to_string(::getpid()));
    fs::create_directories(directory_);
    std::mt19937_64 random(11);
    std::uniform_real_distribution<double> uniform(0, 1);
    std::ofstream csv(directory_ / "data.csv");
    csv << "id,amount,kind,balance,label\n";
    for (int i = 0; i < 4000; ++i) {
      const double amount = uniform(random) * 1000;
      const bool transfer = uniform(random) < 0.3;
      const bool label = uniform(random) < (transfer && amount > 600 ? 0.6 : 0.03);
      csv << "C" << i << ',' << amount << ',' << (transfer ? "TRANSFER" : "PAYMENT") << ',';
      if (i % 17 != 0) csv << uniform(random) * 5000;  // some balances missing
      csv << ',';
      if (i % 101 != 0) csv << label;  // rows with a missing target are in no part
      csv << '\n';
    }
    csv.close();
    std::ofstream recipe(directory_ / "recipe.yaml");
    recipe << "steps:\n  - drop: [id]\n  - one_hot: {columns: [kind]}\n"
              "  - derive: spent = balance - amount\n  - min_max: {columns: [amount, spent]}\n";
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
  }

  TrainJobOptions options(std::size_t batch_rows) const {
    TrainJobOptions options;
    options.data_file = (directory_ / "data.csv").string();
    options.target = "label";
    options.recipe_file = (directory_ / "recipe.yaml").string();
    options.hyperparameters = {"num_round=6", "max_depth=3", "nthread=2", "subsample=0.8"};
    options.batch_rows = batch_rows;
    options.out_dir = directory_ / "out";
    return options;
  }

  TrainingData prepare(std::size_t batch_rows) const {
    const TrainJobOptions opts = options(batch_rows);
    TrainingInputs inputs = check_training_inputs(opts);
    return prepare_training_data(JobContext{}, opts, inputs,
                                 [](const std::string&, const std::string&) {});
  }

  fs::path directory_;
};

void expect_same_features(const features::FeatureMatrix& actual,
                          const features::FeatureMatrix& expected, const std::string& part) {
  ASSERT_EQ(actual.rows(), expected.rows()) << part;
  ASSERT_EQ(actual.cols(), expected.cols()) << part;
  ASSERT_GT(actual.rows(), 0u) << part;
  // Bitwise, so that NaNs compare equal and nothing is merely close.
  EXPECT_EQ(std::memcmp(actual.data(), expected.data(), actual.rows() * actual.cols() * 4), 0)
      << part;
}

TEST_F(TrainingDataTest, CachedPartsAreTheRecipeAppliedToEachPartsRawRows) {
  // 300-row chunks: parts interleave within every chunk and chunks end mid-part.
  const TrainingData data = prepare(300);
  const data::Table raw = data::read_csv(options(0).data_file);
  const auto columns = schema_names(*data.fitted);
  const auto transform = [&](const std::vector<std::uint32_t>& rows) {
    return data.fitted->transform(data::take_rows(raw, rows, columns));
  };
  expect_same_features(data.validation_features, transform(data.split.validation), "validation");
  expect_same_features(data.test_features, transform(data.split.test), "test");
  EXPECT_GT(data.split.excluded, 0u);
  const auto& target = raw.column(std::string_view("label"));
  EXPECT_EQ(data.test_labels, model::encode_labels(target, data.metadata.target, data.split.test));
  EXPECT_EQ(data.train_labels,
            model::encode_labels(target, data.metadata.target, data.split.train));
  EXPECT_EQ(data.train_matrix->rows(), data.split.train.size());
  EXPECT_EQ(data.validation_matrix->rows(), data.split.validation.size());
}

// The training matrix built from the cached features must train exactly the model that
// a quantile matrix of the training rows transformed directly trains.
TEST_F(TrainingDataTest, TrainsTheModelOfAMatrixBuiltFromRawRows) {
  TrainJobOptions opts = options(300);
  TrainingInputs inputs = check_training_inputs(opts);
  const TrainingData data = prepare_training_data(JobContext{}, opts, inputs,
                                                  [](const std::string&, const std::string&) {});
  const data::Table raw = data::read_csv(opts.data_file);
  const features::FeatureMatrix train =
      data.fitted->transform(data::take_rows(raw, data.split.train, schema_names(*data.fitted)));
  model::DMatrix::BatchSource one_batch =
      [&](std::size_t index) -> std::optional<model::DenseBatch> {
    if (index > 0) return std::nullopt;
    return model::DenseBatch{model::DenseView{train.data(), train.rows(), train.cols()},
                             data.train_labels};
  };
  const model::DMatrix direct = model::DMatrix::quantile_from_batches(
      one_batch, train.names(), {inputs.hyperparameters.max_bin, 2, nullptr});
  const auto cached_model = model::train(*data.train_matrix, nullptr, inputs.hyperparameters);
  const auto direct_model = model::train(direct, nullptr, inputs.hyperparameters);
  EXPECT_EQ(cached_model.booster.save_json(), direct_model.booster.save_json());
}

TEST_F(TrainingDataTest, ChunkSizeDoesNotChangeTheParts) {
  const TrainingData small = prepare(128);
  const TrainingData whole = prepare(0);
  expect_same_features(small.validation_features, whole.validation_features, "validation");
  expect_same_features(small.test_features, whole.test_features, "test");
}

// The training job scores validation and test with the native evaluator in parallel;
// its scores must be the booster's, bit for bit.
TEST_F(TrainingDataTest, NativeParallelScoresEqualTheBoostersScores) {
  const TrainJobResult result = run_train_job(JobContext{}, options(0));
  const model::Predictor predictor = model::Predictor::load(result.bundle_dir);
  const data::Table raw = data::read_csv(options(0).data_file);
  const features::FeatureMatrix rows = predictor.bundle().recipe().transform(raw);
  const auto ensemble =
      model::TreeEnsemble::from_model_json(predictor.bundle().booster().save_json());
  ASSERT_TRUE(ensemble.has_value());
  const model::Predictions booster = predictor.predict_features(rows);
  for (unsigned threads : {1u, 2u, 3u}) {
    const model::Predictions native = predictor.predict_features(rows, *ensemble, threads);
    EXPECT_EQ(native.scores, booster.scores) << threads << " threads";
    EXPECT_EQ(native.labels, booster.labels) << threads << " threads";
    EXPECT_EQ(native.width, booster.width);
  }
}

// The job takes validation scores from the matrix XGBoost evaluated every round (its
// prediction cache); they must be the scores of the validation rows themselves.
TEST_F(TrainingDataTest, ValidationMatrixScoresEqualTheValidationRowsScores) {
  TrainingData data = prepare(300);
  auto trained = model::train(*data.train_matrix, &*data.validation_matrix,
                              check_training_inputs(options(300)).hyperparameters);
  const model::Predictor predictor(
      model::Bundle(std::move(trained.booster), std::move(*data.fitted), data.metadata));
  const model::Predictions from_matrix = predictor.predict_matrix(*data.validation_matrix);
  const model::Predictions from_rows = predictor.predict_features(data.validation_features);
  ASSERT_EQ(from_matrix.rows, data.split.validation.size());
  ASSERT_EQ(from_matrix.scores.size(), from_rows.scores.size());
  for (std::size_t i = 0; i < from_rows.scores.size(); ++i)
    ASSERT_NEAR(from_matrix.scores[i], from_rows.scores[i], 1e-6) << "row " << i;
  EXPECT_EQ(from_matrix.labels, from_rows.labels);
}

TEST(EvenlySpacedRows, SpanTheWholePart) {
  // 700,000 / 200,000 is not whole: the sample must still reach the part's last rows.
  const std::vector<std::size_t> rows = evenly_spaced_rows(700'000, 200'000);
  ASSERT_EQ(rows.size(), 200'000u);
  EXPECT_EQ(rows.front(), 0u);
  EXPECT_GE(rows.back(), 700'000u - 4);
  EXPECT_LT(rows.back(), 700'000u);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ASSERT_GT(rows[i], rows[i - 1]);
    ASSERT_LE(rows[i] - rows[i - 1], 4u);
  }
  // The first half of the sample comes from the first half of the part.
  EXPECT_LT(rows[99'999], 350'000u);
  EXPECT_GE(rows[100'000], 350'000u);
  const std::vector<std::size_t> small = evenly_spaced_rows(5, 200'000);
  EXPECT_EQ(small, (std::vector<std::size_t>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(evenly_spaced_rows(0, 10).empty());
}

TEST_F(TrainingDataTest, NativeScoringRejectsTheWrongFeatureCount) {
  const TrainJobResult result = run_train_job(JobContext{}, options(0));
  const model::Predictor predictor = model::Predictor::load(result.bundle_dir);
  const auto ensemble =
      model::TreeEnsemble::from_model_json(predictor.bundle().booster().save_json());
  ASSERT_TRUE(ensemble.has_value());
  const features::FeatureMatrix too_narrow(3, {"a"});
  EXPECT_THROW(predictor.predict_features(too_narrow, *ensemble), Error);
}

}  // namespace
}  // namespace archml::jobs
