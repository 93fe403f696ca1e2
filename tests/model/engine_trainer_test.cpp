// archml's engine behind the model layer: quality against XGBoost on the same data and
// hyperparameters, the exported JSON checked by Python's xgboost, early stopping.
#include "archml/model/engine_trainer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "archml/core/error.h"
#include "archml/model/binary_areas.h"
#include "archml/model/dmatrix.h"
#include "python_reference.h"
#include "synthetic_data.h"

namespace archml::model {
namespace {

using testing::make_dataset;
using testing::Task;

TrainedModel train_engine(const testing::Dataset& train, const testing::Dataset& valid,
                          const std::vector<std::string>& assignments) {
  const Hyperparameters hp = Hyperparameters::parse(assignments);
  const boost::BinnedMatrix binned = bin_for_engine(train.view(), hp);
  return train_with_engine(binned, train.labels, train.names, valid.view(), valid.labels, hp);
}

double test_auc(const Booster& booster, const testing::Dataset& test) {
  return binary_areas(booster.predict(test.view()).values, test.labels).roc_auc;
}

// Same hyperparameters on both engines, ROC AUC on held-out rows averaged over 5 seeds.
TEST(ModelEngineTrainer, QualityMatchesXGBoostOnGeneratedData) {
  const std::vector<std::string> hp = {"num_round=30",  "max_depth=4", "eta=0.3",
                                       "subsample=0.8", "nthread=2",   "eval_metric=auc"};
  double engine_sum = 0, xgboost_sum = 0;
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    const auto train_rows = make_dataset(Task::kBinary, 6000, 10 + seed, 6, true);
    const auto valid = make_dataset(Task::kBinary, 2000, 20 + seed, 6, true);
    const auto test = make_dataset(Task::kBinary, 4000, 30 + seed, 6, true);
    auto engine_hp = hp;
    engine_hp.push_back("tree_method=archml");
    engine_hp.push_back("seed=" + std::to_string(seed));
    const TrainedModel engine = train_engine(train_rows, valid, engine_hp);
    const DMatrix train_matrix =
        DMatrix::from_dense(train_rows.view(), train_rows.labels, train_rows.names, 2);
    auto xgboost_hp = hp;
    xgboost_hp.push_back("seed=" + std::to_string(seed));
    const TrainedModel xgboost = train(train_matrix, nullptr, Hyperparameters::parse(xgboost_hp));
    engine_sum += test_auc(engine.booster, test);
    xgboost_sum += test_auc(xgboost.booster, test);
  }
  EXPECT_NEAR(engine_sum / 5, xgboost_sum / 5, 0.005);
  EXPECT_GT(engine_sum / 5, 0.9);
}

TEST(ModelEngineTrainer, RegressionMatchesXGBoostsError) {
  const auto train_rows = make_dataset(Task::kRegression, 6000, 1, 5);
  const auto valid = make_dataset(Task::kRegression, 2000, 2, 5);
  const std::vector<std::string> hp = {"num_round=40", "max_depth=4", "nthread=2"};
  auto engine_hp = hp;
  engine_hp.push_back("tree_method=archml");
  const TrainedModel engine = train_engine(train_rows, valid, engine_hp);
  const DMatrix train_matrix =
      DMatrix::from_dense(train_rows.view(), train_rows.labels, train_rows.names, 2);
  const DMatrix valid_matrix = DMatrix::from_dense(valid.view(), valid.labels, valid.names, 2);
  const TrainedModel xgboost = train(train_matrix, &valid_matrix, Hyperparameters::parse(hp));
  const double engine_rmse = engine.history.back().metrics.back().value;
  const double xgboost_rmse = xgboost.history.back().metrics.back().value;
  EXPECT_EQ(engine.history.back().metrics.back().name, "validation:rmse");
  // The bar: no more than 1 % worse.
  EXPECT_LE(engine_rmse, 1.01 * xgboost_rmse);
}

TEST(ModelEngineTrainer, EarlyStoppingKeepsTheBestRound) {
  const auto train = make_dataset(Task::kBinary, 3000, 3, 5);
  auto valid = make_dataset(Task::kBinary, 1000, 4, 5);
  for (std::size_t r = 0; r < valid.rows; r += 3) valid.labels[r] = 1 - valid.labels[r];
  const TrainedModel model =
      train_engine(train, valid,
                   {"tree_method=archml", "num_round=300", "max_depth=6", "eta=0.5",
                    "eval_metric=logloss", "early_stopping_rounds=3", "nthread=2"});
  ASSERT_EQ(model.stop_reason, StopReason::kEarlyStopping);
  EXPECT_EQ(model.rounds, model.best_round + 4);
  EXPECT_EQ(model.booster.best_iteration(), model.best_round);
  // The kept validation scores are the booster's predictions (up to the best round).
  const auto predicted = model.booster.predict(valid.view()).values;
  ASSERT_EQ(predicted.size(), model.validation_scores->size());
  for (std::size_t r = 0; r < predicted.size(); ++r)
    ASSERT_NEAR(predicted[r], (*model.validation_scores)[r], 1e-6) << r;
}

TEST(ModelEngineTrainer, UnsupportedObjectivesAndMetricsSaySo) {
  const auto expect_unsupported = [](Task task, const std::string& extra) {
    const auto train_rows = make_dataset(task, 500, 5, 3);
    const auto valid = make_dataset(task, 200, 6, 3);
    try {
      train_engine(train_rows, valid, {"tree_method=archml", "num_round=2", extra});
      FAIL() << extra;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kUnsupported) << extra << ": " << error.what();
    }
  };
  expect_unsupported(Task::kBinary, "eval_metric=error@0.7");
  expect_unsupported(Task::kMulticlass, "eval_metric=mlogloss");
}

// The engine's own scores (walked on its trees as floats) against Python's xgboost
// loading the exported JSON, on rows with missing values.
TEST(ModelEngineTrainer, PythonLoadsTheExportedJsonAndPredictsTheSame) {
  if (!testing::python_has_xgboost())
    GTEST_SKIP() << "SKIP: /usr/bin/python3 has no xgboost (Debian package python3-xgboost)";
  const std::vector<std::pair<Task, std::vector<std::string>>> settings = {
      {Task::kBinary, {"num_round=25", "max_depth=5", "subsample=0.8", "gamma=0.5"}},
      {Task::kRegression, {"num_round=15", "max_depth=3", "alpha=0.5"}},
  };
  std::vector<testing::Dataset> rows;
  std::vector<testing::ReferenceCase> cases;
  std::vector<std::vector<float>> expected;
  for (std::size_t i = 0; i < settings.size(); ++i) {
    const auto train_rows = make_dataset(settings[i].first, 3000, 40 + i, 6, true);
    rows.push_back(make_dataset(settings[i].first, 1000, 50 + i, 6, true));
    auto hp = settings[i].second;
    hp.push_back("tree_method=archml");
    hp.push_back("nthread=2");
    const TrainedModel model = train_engine(train_rows, rows.back(), hp);
    cases.push_back({model.booster.save_json(), nullptr, rows.back().rows, rows.back().cols});
    expected.push_back(*model.validation_scores);
  }
  for (std::size_t i = 0; i < cases.size(); ++i) cases[i].values = &rows[i].values;
  const auto results = testing::python_predictions("engine", cases);
  ASSERT_EQ(results.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto python = results[i]["predictions"].get<std::vector<double>>();
    ASSERT_EQ(python.size(), expected[i].size());
    for (std::size_t r = 0; r < python.size(); ++r)
      ASSERT_NEAR(python[r], expected[i][r], 1e-6) << "case " << i << " row " << r;
  }
}

}  // namespace
}  // namespace archml::model
