#include "archml/model/booster.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "archml/core/error.h"
#include "archml/model/trainer.h"
#include "synthetic_data.h"

namespace archml::model {
namespace {

using testing::make_dataset;
using testing::Task;

TEST(ModelEvaluation, ParsesXGBoostLinesIntoSageMakerNames) {
  const auto metrics = parse_evaluation(
      "[3]\ttrain-auc:0.91000000000000003\tvalidation-aucpr:0.5\tvalidation-error@0.7:nan");
  ASSERT_EQ(metrics.size(), 3u);
  EXPECT_EQ(metrics[0].name, "train:auc");
  EXPECT_DOUBLE_EQ(metrics[0].value, 0.91);
  EXPECT_EQ(metrics[1].name, "validation:aucpr");
  EXPECT_EQ(metrics[1].value, 0.5);
  EXPECT_EQ(metrics[2].name, "validation:error@0.7");
  EXPECT_TRUE(std::isnan(metrics[2].value));
  EXPECT_TRUE(parse_evaluation("[0]").empty());
  EXPECT_THROW(parse_evaluation("garbage"), Error);
  EXPECT_THROW(parse_evaluation("[0]\tnodash:1"), Error);
}

class ModelBoosterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = make_dataset(Task::kBinary, 2000, 3, 5, /*missing=*/true);
    matrix_.emplace(DMatrix::from_dense(data_.view(), data_.labels, data_.names, 1));
    model_.emplace(train(*matrix_, nullptr, Hyperparameters::parse({"num_round=20", "nthread=1"})));
  }

  testing::Dataset data_;
  std::optional<DMatrix> matrix_;
  std::optional<TrainedModel> model_;
};

TEST_F(ModelBoosterTest, JsonRoundTripPredictsIdentically) {
  const Booster& booster = model_->booster;
  const std::string json = booster.save_json();
  ASSERT_TRUE(nlohmann::json::accept(json));
  const Booster loaded = Booster::load_json(json);
  const Prediction before = booster.predict(data_.view());
  const Prediction after = loaded.predict(data_.view());
  ASSERT_EQ(before.shape, std::vector<std::size_t>{2000});
  EXPECT_EQ(before.values, after.values);  // bit for bit
  EXPECT_EQ(loaded.feature_names(), data_.names);
  EXPECT_EQ(loaded.boosted_rounds(), 20);
  // In-place dense prediction and prediction through a DMatrix agree.
  EXPECT_EQ(booster.predict(*matrix_).values, before.values);
}

TEST_F(ModelBoosterTest, FewerRoundsPredictDifferently) {
  const Booster& booster = model_->booster;
  EXPECT_NE(booster.predict(data_.view(), PredictionType::kValue, 5).values,
            booster.predict(data_.view()).values);
}

TEST_F(ModelBoosterTest, ContributionsAddUpToTheMargin) {
  const Booster& booster = model_->booster;
  const Prediction margin = booster.predict(data_.view(), PredictionType::kMargin);
  const Prediction shap = booster.predict(data_.view(), PredictionType::kContributions);
  ASSERT_EQ(shap.shape, (std::vector<std::size_t>{2000, 6}));
  for (std::size_t row = 0; row < 2000; row += 97) {
    const float* begin = shap.values.data() + row * 6;
    EXPECT_NEAR(std::accumulate(begin, begin + 6, 0.0), margin.values[row], 1e-4);
  }
}

TEST_F(ModelBoosterTest, FeatureImportancesNameEveryColumn) {
  const auto importances = model_->booster.feature_importances();
  ASSERT_EQ(importances.size(), 5u);
  EXPECT_EQ(importances[0].feature, "feature_0");
  // The target depends on features 0 and 1 only.
  EXPECT_GT(importances[0].total_gain, importances[3].total_gain);
  EXPECT_GT(importances[1].total_gain, importances[4].total_gain);
  EXPECT_GT(importances[0].weight, 0);
  EXPECT_NEAR(importances[0].total_gain, importances[0].gain * importances[0].weight,
              1e-3 * importances[0].total_gain);
}

TEST_F(ModelBoosterTest, RejectsRowsWithOtherColumns) {
  const std::vector<float> row(4, 0.0f);
  EXPECT_THROW(model_->booster.predict(DenseView{row.data(), 1, 4}), Error);
}

TEST_F(ModelBoosterTest, LoadedModelPredictsFromSeveralThreads) {
  const Booster loaded = Booster::load_json(model_->booster.save_json());
  const auto expected = model_->booster.predict(data_.view()).values;
  std::vector<std::vector<float>> results(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = loaded.predict(data_.view()).values; });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) EXPECT_EQ(result, expected);
}

TEST(ModelBooster, LoadRejectsGarbage) {
  EXPECT_THROW(Booster::load_json("{not a model"), Error);
}

}  // namespace
}  // namespace archml::model
