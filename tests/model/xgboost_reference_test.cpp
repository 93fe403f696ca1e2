// Checks that a model archml saves is XGBoost's own: Python's xgboost loads the JSON and
// predicts the same values (to 1e-6) for binary (with early stopping), multi-class and
// regression models, on rows with missing values. Runs tests/model/xgboost_reference.py
// with /usr/bin/python3; skipped where that Python lacks xgboost.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "archml/model/trainer.h"
#include "python_reference.h"
#include "synthetic_data.h"

namespace archml::model {
namespace {

using testing::make_dataset;
using testing::Task;

TEST(ModelXGBoostReference, PythonLoadsTheModelAndPredictsTheSame) {
  if (!testing::python_has_xgboost())
    GTEST_SKIP() << "SKIP: /usr/bin/python3 has no xgboost (Debian package python3-xgboost)";
  struct Case {
    Task task;
    std::vector<std::string> hyperparameters;
  };
  const std::vector<Case> cases = {
      {Task::kBinary,
       {"num_round=200", "eval_metric=auc,logloss", "early_stopping_rounds=3", "max_depth=8"}},
      {Task::kMulticlass, {"num_round=10"}},
      {Task::kRegression, {"num_round=10"}},
  };
  std::vector<testing::Dataset> rows;
  std::vector<testing::ReferenceCase> references;
  std::vector<std::vector<float>> expected;
  std::vector<std::vector<std::string>> names;
  std::vector<double> base_scores;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto train_data = make_dataset(cases[i].task, 1500, 100 + i, 6, true);
    auto valid_data = make_dataset(cases[i].task, 500, 200 + i, 6, true);
    if (cases[i].task == Task::kBinary) {
      // Flip some labels so that early stopping has something to stop.
      for (std::size_t r = 0; r < valid_data.rows; r += 4)
        valid_data.labels[r] = 1 - valid_data.labels[r];
    }
    const DMatrix train_matrix =
        DMatrix::from_dense(train_data.view(), train_data.labels, train_data.names, 1);
    const DMatrix valid_matrix =
        DMatrix::from_dense(valid_data.view(), valid_data.labels, valid_data.names, 1);
    auto assignments = cases[i].hyperparameters;
    assignments.push_back("nthread=1");
    const auto model = train(train_matrix, &valid_matrix, Hyperparameters::parse(assignments));
    if (cases[i].task == Task::kBinary) {
      ASSERT_EQ(model.stop_reason, StopReason::kEarlyStopping);
      ASSERT_LT(model.best_round + 1, model.rounds);
    }
    references.push_back({model.booster.save_json(), nullptr, valid_data.rows, 6});
    expected.push_back(model.booster.predict(valid_data.view()).values);
    names.push_back(train_data.names);
    base_scores.push_back(model.resolved.base_score);
    rows.push_back(std::move(valid_data));
  }
  for (std::size_t i = 0; i < cases.size(); ++i) references[i].values = &rows[i].values;
  const auto results = testing::python_predictions("xgb", references);
  ASSERT_EQ(results.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto python = results[i]["predictions"].get<std::vector<double>>();
    ASSERT_EQ(python.size(), expected[i].size()) << "case " << i;
    for (std::size_t r = 0; r < python.size(); ++r) {
      ASSERT_NEAR(python[r], expected[i][r], 1e-6) << "case " << i << " value " << r;
    }
    EXPECT_EQ(results[i]["feature_names"].get<std::vector<std::string>>(), names[i]);
    EXPECT_NEAR(std::stod(results[i]["base_score"].get<std::string>()), base_scores[i],
                1e-6 * std::max(1.0, std::abs(base_scores[i])));
  }
}

}  // namespace
}  // namespace archml::model
