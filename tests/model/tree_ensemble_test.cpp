#include "archml/model/tree_ensemble.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "archml/core/error.h"
#include "archml/model/trainer.h"
#include "synthetic_data.h"

namespace archml::model {
namespace {

using testing::make_dataset;
using testing::Task;

// Trains on one data set and compares every score of another, bit for bit, against
// XGBoost's own prediction of the same booster.
void expect_identical_to_xgboost(Task task, const std::vector<std::string>& params,
                                 int iteration_end = 0) {
  const auto train_data = make_dataset(task, 3000, 11, 6, /*missing=*/true);
  const auto test_data = make_dataset(task, 5000, 12, 6, /*missing=*/true);
  const DMatrix matrix =
      DMatrix::from_dense(train_data.view(), train_data.labels, train_data.names, 1);
  const TrainedModel model = train(matrix, nullptr, Hyperparameters::parse(params));
  const auto ensemble = TreeEnsemble::from_model_json(model.booster.save_json(), iteration_end);
  ASSERT_TRUE(ensemble.has_value());
  EXPECT_EQ(ensemble->num_features(), 6u);
  const Prediction expected =
      model.booster.predict(test_data.view(), PredictionType::kValue, iteration_end);
  std::vector<float> actual(expected.values.size());
  ASSERT_EQ(actual.size(), test_data.rows * ensemble->width());
  ensemble->predict(test_data.values.data(), test_data.rows, actual.data());
  std::size_t differing = 0;
  for (std::size_t i = 0; i < actual.size(); ++i)
    if (std::memcmp(&actual[i], &expected.values[i], sizeof(float)) != 0) ++differing;
  EXPECT_EQ(differing, 0u) << "first: " << actual[0] << " vs " << expected.values[0];
}

TEST(ModelTreeEnsemble, BinaryScoresAreBitIdenticalToXGBoost) {
  expect_identical_to_xgboost(Task::kBinary,
                              {"num_round=60", "max_depth=6", "nthread=1", "base_score=0.3"});
}

// Pruning frees node slots that later splits reuse, so children stop being side by side
// in XGBoost's arrays; the evaluator lays them out itself.
TEST(ModelTreeEnsemble, PrunedTreesScoreBitIdenticalToXGBoost) {
  expect_identical_to_xgboost(Task::kBinary, {"num_round=40", "max_depth=7", "nthread=1", "gamma=2",
                                              "min_child_weight=3", "eta=0.5"});
}

TEST(ModelTreeEnsemble, HonoursIterationEnd) {
  expect_identical_to_xgboost(Task::kBinary, {"num_round=30", "nthread=1"}, 7);
}

TEST(ModelTreeEnsemble, RegressionScoresAreBitIdenticalToXGBoost) {
  expect_identical_to_xgboost(Task::kRegression,
                              {"num_round=40", "objective=reg:squarederror", "nthread=1"});
}

TEST(ModelTreeEnsemble, MulticlassScoresAreBitIdenticalToXGBoost) {
  expect_identical_to_xgboost(
      Task::kMulticlass, {"num_round=20", "objective=multi:softprob", "num_class=3", "nthread=1"});
}

TEST(ModelTreeEnsemble, DeclinesWhatItCannotEvaluate) {
  const std::string linear =
      R"({"learner": {"gradient_booster": {"name": "gblinear"}, "objective": {"name": "x"}}})";
  EXPECT_FALSE(TreeEnsemble::from_model_json(linear).has_value());
  EXPECT_THROW(TreeEnsemble::from_model_json("{not json"), Error);
  EXPECT_THROW(TreeEnsemble::from_model_json(R"({"learner": {}})"), Error);
}

}  // namespace
}  // namespace archml::model
