#include "archml/model/trainer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "archml/core/error.h"
#include "archml/eval/ranked_scores.h"
#include "archml/eval/roc.h"
#include "synthetic_data.h"

namespace archml::model {
namespace {

using testing::Dataset;
using testing::make_dataset;
using testing::Task;

DMatrix matrix_of(const Dataset& data) {
  return DMatrix::from_dense(data.view(), data.labels, data.names, 1);
}

double auc(const std::vector<float>& scores, const std::vector<float>& labels) {
  const std::vector<double> wide(scores.begin(), scores.end());
  std::vector<std::uint8_t> binary;
  for (float label : labels) binary.push_back(label > 0.5f ? 1 : 0);
  return eval::roc_auc(eval::RankedScores(wide, binary));
}

Hyperparameters hp(std::vector<std::string> assignments) {
  assignments.push_back("nthread=1");
  return Hyperparameters::parse(assignments);
}

// Trees in a saved model that are a single leaf (learned nothing but a constant).
int single_leaf_trees(const Booster& booster) {
  const auto model = nlohmann::json::parse(booster.save_json());
  int count = 0;
  for (const auto& tree : model["learner"]["gradient_booster"]["model"]["trees"]) {
    if (tree["tree_param"]["num_nodes"] == "1") ++count;
  }
  return count;
}

TEST(ModelTrainer, BinaryModelSeparatesTheClasses) {
  const auto train_data = make_dataset(Task::kBinary, 3000, 10, 5, true);
  const auto valid_data = make_dataset(Task::kBinary, 1000, 11, 5, true);
  const DMatrix train_matrix = matrix_of(train_data);
  const DMatrix valid_matrix = matrix_of(valid_data);
  const TrainedModel model =
      train(train_matrix, &valid_matrix, hp({"num_round=30", "eval_metric=auc,aucpr,logloss"}));
  EXPECT_EQ(model.rounds, 30);
  EXPECT_EQ(model.stop_reason, StopReason::kCompleted);
  EXPECT_EQ(model.best_round, 29);
  ASSERT_EQ(model.history.size(), 30u);
  // Validation only by default, in eval_metric order.
  const auto& last = model.history.back().metrics;
  ASSERT_EQ(last.size(), 3u);
  EXPECT_EQ(last[0].name, "validation:auc");
  EXPECT_EQ(last[1].name, "validation:aucpr");
  EXPECT_EQ(last[2].name, "validation:logloss");
  EXPECT_GT(last[0].value, 0.95);

  const auto scores = model.booster.predict(valid_data.view()).values;
  const double ours = auc(scores, valid_data.labels);
  EXPECT_GT(ours, 0.95);
  EXPECT_NEAR(ours, last[0].value, 1e-6);  // XGBoost's AUC agrees with archml::eval's
}

TEST(ModelTrainer, TrainingMetricsOnlyWhenAsked) {
  const auto data = make_dataset(Task::kBinary, 500, 12);
  const DMatrix matrix = matrix_of(data);
  TrainOptions options;
  options.evaluate_train = true;
  const auto model = train(matrix, &matrix, hp({"num_round=2", "eval_metric=auc"}), options);
  const auto& metrics = model.history[0].metrics;
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[0].name, "train:auc");
  EXPECT_EQ(metrics[1].name, "validation:auc");
  const auto no_validation = train(matrix, nullptr, hp({"num_round=2"}));
  EXPECT_TRUE(no_validation.history[0].metrics.empty());
}

// auc and aucpr come from binary_areas, not XGBoost's evaluation; every round's values,
// their order among XGBoost's own metrics, and early stopping on them must be exactly
// what XGBoost gives, on both the training and the validation set.
TEST(ModelTrainer, RankingMetricsComputedHereEqualXGBoostsOwn) {
  const auto train_data = make_dataset(Task::kBinary, 4000, 21, 6, true);
  const auto valid_data = make_dataset(Task::kBinary, 1500, 22, 6, true);
  const DMatrix train_matrix = matrix_of(train_data);
  const DMatrix valid_matrix = matrix_of(valid_data);
  for (const char* metrics :
       {"eval_metric=aucpr", "eval_metric=auc,logloss,aucpr", "eval_metric=logloss,auc"}) {
    const Hyperparameters parameters = hp({"num_round=40", "max_depth=4", "eta=0.3", metrics,
                                           "early_stopping_rounds=4", "subsample=0.8"});
    TrainOptions ours;
    ours.evaluate_train = true;
    TrainOptions xgboosts = ours;
    xgboosts.xgboost_ranking_metrics = true;
    const TrainedModel fast = train(train_matrix, &valid_matrix, parameters, ours);
    const TrainedModel reference = train(train_matrix, &valid_matrix, parameters, xgboosts);
    ASSERT_EQ(fast.history.size(), reference.history.size()) << metrics;
    EXPECT_EQ(fast.best_round, reference.best_round) << metrics;
    for (std::size_t r = 0; r < fast.history.size(); ++r) {
      const auto& got = fast.history[r].metrics;
      const auto& expected = reference.history[r].metrics;
      ASSERT_EQ(got.size(), expected.size()) << metrics;
      for (std::size_t m = 0; m < got.size(); ++m) {
        EXPECT_EQ(got[m].name, expected[m].name) << metrics << " round " << r;
        EXPECT_EQ(got[m].value, expected[m].value) << got[m].name << " round " << r;
      }
    }
  }
}

// binary:logistic's gradients come from archml, not XGBoost's objective: the trees must
// be XGBoost's to the bit, with row subsampling, a positive weight and missing values.
TEST(ModelTrainer, GradientsComputedHereGiveXGBoostsTrees) {
  const auto train_data = make_dataset(Task::kBinary, 4000, 31, 6, true);
  const DMatrix train_matrix = matrix_of(train_data);
  for (const char* weight :
       {"scale_pos_weight=1", "scale_pos_weight=3.7", "scale_pos_weight=auto"}) {
    const Hyperparameters parameters =
        hp({"num_round=25", "max_depth=5", "eta=0.4", "subsample=0.7", weight});
    TrainOptions xgboosts;
    xgboosts.xgboost_gradients = true;
    const TrainedModel fast = train(train_matrix, nullptr, parameters);
    const TrainedModel reference = train(train_matrix, nullptr, parameters, xgboosts);
    EXPECT_EQ(fast.booster.save_json(), reference.booster.save_json()) << weight;
  }
}

// With the validation rows given, the trainer scores them itself from each round's new
// tree: every round's metrics, early stopping, and the scores it hands back must be
// XGBoost's, and it must step aside when XGBoost evaluates the validation set anyway.
TEST(ModelTrainer, ValidationScoredHereEqualsXGBoosts) {
  const auto train_data = make_dataset(Task::kBinary, 4000, 41, 6, true);
  const auto valid_data = make_dataset(Task::kBinary, 1500, 42, 6, true);
  const DMatrix train_matrix = matrix_of(train_data);
  const DMatrix valid_matrix = matrix_of(valid_data);
  for (const char* stopping : {"early_stopping_rounds=3", "num_round=30"}) {
    const Hyperparameters parameters =
        hp({"num_round=60", "max_depth=6", "eta=0.5", "eval_metric=auc,aucpr", stopping});
    TrainOptions ours;
    ours.validation_rows = valid_data.view();
    TrainOptions xgboosts;
    xgboosts.xgboost_ranking_metrics = true;
    xgboosts.xgboost_gradients = true;
    const TrainedModel fast = train(train_matrix, &valid_matrix, parameters, ours);
    const TrainedModel reference = train(train_matrix, &valid_matrix, parameters, xgboosts);
    ASSERT_EQ(fast.history.size(), reference.history.size()) << stopping;
    EXPECT_EQ(fast.best_round, reference.best_round) << stopping;
    for (std::size_t r = 0; r < fast.history.size(); ++r)
      for (std::size_t m = 0; m < 2; ++m)
        EXPECT_EQ(fast.history[r].metrics.at(m).value, reference.history[r].metrics.at(m).value)
            << stopping << " round " << r;
    ASSERT_TRUE(fast.validation_scores.has_value()) << stopping;
    EXPECT_EQ(*fast.validation_scores, reference.booster.predict(valid_matrix).values) << stopping;
    EXPECT_FALSE(reference.validation_scores.has_value());
  }
  // Early stopping must actually have cut the first run short for the check to mean much.
  const auto stopped = train(train_matrix, &valid_matrix,
                             hp({"num_round=60", "max_depth=6", "eta=0.5", "eval_metric=aucpr",
                                 "early_stopping_rounds=3"}));
  EXPECT_LT(stopped.rounds, 60);
  EXPECT_LT(stopped.best_round, stopped.rounds - 1);

  TrainOptions ours;
  ours.validation_rows = valid_data.view();
  const TrainedModel with_logloss =
      train(train_matrix, &valid_matrix, hp({"num_round=5", "eval_metric=aucpr,logloss"}), ours);
  EXPECT_FALSE(with_logloss.validation_scores.has_value());
}

// The training job defers the validation matrix's XGBoost copy when the trainer scores
// those rows itself; it must then never be built, and train exactly as a built one.
TEST(ModelTrainer, DeferredValidationMatrixIsNeverBuiltWhenScoredHere) {
  const auto train_data = make_dataset(Task::kBinary, 3000, 51, 5, true);
  const auto valid_data = make_dataset(Task::kBinary, 1000, 52, 5, true);
  const DMatrix train_matrix = matrix_of(train_data);
  const DMatrix built = matrix_of(valid_data);
  TrainOptions options;
  options.validation_rows = valid_data.view();
  const Hyperparameters ranking =
      hp({"num_round=20", "eval_metric=auc,aucpr", "early_stopping_rounds=5"});
  EXPECT_TRUE(scores_validation_itself(ranking, train_data.labels, valid_data.labels, options));

  const DMatrix deferred =
      DMatrix::deferred_dense(valid_data.view(), valid_data.labels, valid_data.names, 1);
  const TrainedModel lazy = train(train_matrix, &deferred, ranking, options);
  EXPECT_FALSE(deferred.built());
  const TrainedModel eager = train(train_matrix, &built, ranking, options);
  EXPECT_EQ(lazy.booster.save_json(), eager.booster.save_json());
  ASSERT_EQ(lazy.history.size(), eager.history.size());
  for (std::size_t r = 0; r < lazy.history.size(); ++r)
    for (std::size_t m = 0; m < 2; ++m)
      EXPECT_EQ(lazy.history[r].metrics.at(m).value, eager.history[r].metrics.at(m).value);
  EXPECT_EQ(lazy.validation_scores, eager.validation_scores);

  // A metric left to XGBoost needs its copy: the trainer builds it and gets the same values.
  const Hyperparameters logloss = hp({"num_round=5", "eval_metric=aucpr,logloss"});
  EXPECT_FALSE(scores_validation_itself(logloss, train_data.labels, valid_data.labels, options));
  const DMatrix needed =
      DMatrix::deferred_dense(valid_data.view(), valid_data.labels, valid_data.names, 1);
  const TrainedModel with_logloss = train(train_matrix, &needed, logloss, options);
  EXPECT_TRUE(needed.built());
  EXPECT_EQ(with_logloss.history.back().metrics.at(1).value,
            train(train_matrix, &built, logloss, options).history.back().metrics.at(1).value);

  // The other cases the trainer leaves to XGBoost.
  TrainOptions no_rows;
  EXPECT_FALSE(scores_validation_itself(ranking, train_data.labels, valid_data.labels, no_rows));
  TrainOptions xgboost_metrics = options;
  xgboost_metrics.xgboost_ranking_metrics = true;
  EXPECT_FALSE(
      scores_validation_itself(ranking, train_data.labels, valid_data.labels, xgboost_metrics));
  const auto regression = make_dataset(Task::kRegression, 300, 53, 5, false);
  TrainOptions regression_rows;
  regression_rows.validation_rows = regression.view();
  EXPECT_FALSE(scores_validation_itself(hp({"objective=reg:squarederror", "eval_metric=rmse"}),
                                        regression.labels, regression.labels, regression_rows));
  // Labels other than 0/1 under binary:logistic (probabilities as targets).
  std::vector<float> soft = valid_data.labels;
  soft[0] = 0.5f;
  EXPECT_FALSE(scores_validation_itself(ranking, train_data.labels, soft, options));
}

// With 0.2 % positives, XGBoost 1.7's fixed base_score=0.5 makes the first trees undo
// the bias, and under lambda=8 many of them cannot split at all. Starting from the
// prior, every tree learns structure.
TEST(ModelTrainer, RarePositivesLearnFromThePrior) {
  Dataset data;
  data.rows = 20'000;
  data.cols = 4;
  data.names = {"a", "b", "c", "d"};
  std::mt19937_64 random(5);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (std::size_t r = 0; r < data.rows; ++r) {
    float x[4];
    for (float& v : x) data.values.push_back(v = normal(random));
    const double p = 1 / (1 + std::exp(-(-7.0 + 1.2 * x[0] + 0.8 * x[1])));
    data.labels.push_back(uniform(random) < p ? 1.0f : 0.0f);
  }
  const double rate =
      std::count(data.labels.begin(), data.labels.end(), 1.0f) / static_cast<double>(data.rows);
  ASSERT_GT(rate, 0.001);
  ASSERT_LT(rate, 0.004);
  const DMatrix matrix = matrix_of(data);

  const auto prior = train(matrix, nullptr, hp({"num_round=30", "eta=0.1", "lambda=8"}));
  EXPECT_NEAR(prior.resolved.base_score, rate, 1e-12);
  EXPECT_EQ(single_leaf_trees(prior.booster), 0);
  const auto scores = prior.booster.predict(data.view()).values;
  const auto [low, high] = std::minmax_element(scores.begin(), scores.end());
  EXPECT_GT(*high / *low, 20.0);  // the predictions vary, by more than an order of magnitude
  EXPECT_GT(auc(scores, data.labels), 0.9);

  // The same run from 0.5, for contrast (XGBoost's behaviour, not archml's).
  const auto half =
      train(matrix, nullptr, hp({"num_round=30", "eta=0.1", "lambda=8", "base_score=0.5"}));
  EXPECT_GT(single_leaf_trees(half.booster), 10);
}

TEST(ModelTrainer, MultiClassSoftprob) {
  const auto train_data = make_dataset(Task::kMulticlass, 3000, 20);
  const auto valid_data = make_dataset(Task::kMulticlass, 600, 21);
  const DMatrix train_matrix = matrix_of(train_data);
  const DMatrix valid_matrix = matrix_of(valid_data);
  const auto model =
      train(train_matrix, &valid_matrix, hp({"num_round=20", "eval_metric=merror,mlogloss"}));
  EXPECT_EQ(model.resolved.objective, "multi:softprob");
  EXPECT_EQ(model.resolved.num_class, 3);
  EXPECT_EQ(model.history.back().metrics[0].name, "validation:merror");
  EXPECT_LT(model.history.back().metrics[0].value, 0.1);
  const Prediction prediction = model.booster.predict(valid_data.view());
  ASSERT_EQ(prediction.shape, (std::vector<std::size_t>{600, 3}));
  EXPECT_NEAR(prediction.values[0] + prediction.values[1] + prediction.values[2], 1.0, 1e-5);
}

TEST(ModelTrainer, Regression) {
  const auto train_data = make_dataset(Task::kRegression, 3000, 30);
  const auto valid_data = make_dataset(Task::kRegression, 600, 31);
  const DMatrix train_matrix = matrix_of(train_data);
  const DMatrix valid_matrix = matrix_of(valid_data);
  const auto model = train(train_matrix, &valid_matrix, hp({"num_round=50"}));
  EXPECT_EQ(model.resolved.objective, "reg:squarederror");
  EXPECT_NEAR(model.resolved.base_score, 10.0, 0.2);  // the mean label
  EXPECT_EQ(model.history.back().metrics[0].name, "validation:rmse");
  // The target's standard deviation is 2.5; the model explains most of it.
  EXPECT_LT(model.history.back().metrics[0].value, 0.5);
}

TEST(ModelTrainer, EarlyStoppingKeepsTheBestRound) {
  // Noisy labels overfit quickly: validation logloss bottoms out and rises.
  auto train_data = make_dataset(Task::kBinary, 600, 40);
  auto valid_data = make_dataset(Task::kBinary, 600, 41);
  std::mt19937_64 random(9);
  for (auto* data : {&train_data, &valid_data}) {
    for (float& label : data->labels) {
      if (random() % 3 == 0) label = 1 - label;
    }
  }
  const DMatrix train_matrix = matrix_of(train_data);
  const DMatrix valid_matrix = matrix_of(valid_data);
  const auto model = train(
      train_matrix, &valid_matrix,
      hp({"num_round=500", "max_depth=8", "eval_metric=auc,logloss", "early_stopping_rounds=5"}));
  EXPECT_EQ(model.stop_reason, StopReason::kEarlyStopping);
  EXPECT_LT(model.rounds, 500);
  EXPECT_EQ(model.rounds, model.best_round + 1 + 5);
  ASSERT_TRUE(model.best_metric.has_value());
  EXPECT_EQ(model.best_metric->name, "validation:logloss");  // the last metric
  // The best round has the lowest validation logloss of all rounds.
  double lowest = INFINITY;
  for (const auto& round : model.history) lowest = std::min(lowest, round.metrics[1].value);
  EXPECT_EQ(model.history[model.best_round].metrics[1].value, lowest);
  EXPECT_EQ(model.best_metric->value, lowest);
  EXPECT_EQ(model.booster.best_iteration(), model.best_round);
  EXPECT_DOUBLE_EQ(*model.booster.best_score(), lowest);

  // Predictions use the best round's trees by default.
  const auto best = model.booster.predict(valid_data.view()).values;
  EXPECT_EQ(best,
            model.booster.predict(valid_data.view(), PredictionType::kValue, model.best_round + 1)
                .values);
  EXPECT_NE(best,
            model.booster.predict(valid_data.view(), PredictionType::kValue, model.rounds).values);
}

TEST(ModelTrainer, CallbackCanStopTraining) {
  const auto data = make_dataset(Task::kBinary, 500, 50);
  const DMatrix matrix = matrix_of(data);
  std::vector<int> seen;
  TrainOptions options;
  options.on_round = [&](const RoundMetrics& round) {
    seen.push_back(round.round);
    EXPECT_EQ(round.metrics.size(), 1u);
    return round.round == 3 ? RoundDecision::kStop : RoundDecision::kContinue;
  };
  const auto model = train(matrix, &matrix, hp({"num_round=100"}), options);
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(model.rounds, 4);
  EXPECT_EQ(model.booster.boosted_rounds(), 4);
  EXPECT_EQ(model.stop_reason, StopReason::kCallback);
  EXPECT_EQ(model.best_round, 3);

  options.on_round = [](const RoundMetrics&) -> RoundDecision {
    throw Error(ErrorKind::kIo, "trial cancelled");
  };
  EXPECT_THROW(train(matrix, &matrix, hp({"num_round=5"}), options), Error);
}

TEST(ModelTrainer, RejectsMismatchedSetups) {
  const auto data = make_dataset(Task::kBinary, 200, 60);
  const DMatrix matrix = matrix_of(data);
  EXPECT_THROW(train(matrix, nullptr, hp({"early_stopping_rounds=3"})), Error);
  const DMatrix unlabelled = DMatrix::from_dense(data.view(), {}, {});
  EXPECT_THROW(train(unlabelled, nullptr, hp({})), Error);
  const auto narrow = make_dataset(Task::kBinary, 200, 61, 3);
  const DMatrix narrow_matrix = matrix_of(narrow);
  EXPECT_THROW(train(matrix, &narrow_matrix, hp({})), Error);
}

DMatrix quantile_of(const Dataset& data, std::size_t batch_rows, const DMatrix* reference,
                    int max_bin = 256) {
  const DMatrix::BatchSource source = [&](std::size_t index) -> std::optional<DenseBatch> {
    const std::size_t begin = index * batch_rows;
    if (begin >= data.rows) return std::nullopt;
    const std::size_t rows = std::min(batch_rows, data.rows - begin);
    return DenseBatch{{data.values.data() + begin * data.cols, rows, data.cols},
                      std::span<const float>(data.labels).subspan(begin, rows)};
  };
  return DMatrix::quantile_from_batches(source, data.names,
                                        {.max_bin = max_bin, .nthread = 1, .reference = reference});
}

TEST(ModelTrainer, QuantileMatrixFromBatchesMatchesDense) {
  const auto train_data = make_dataset(Task::kBinary, 4000, 70, 5, true);
  const auto valid_data = make_dataset(Task::kBinary, 1000, 71, 5, true);
  const DMatrix dense_train = matrix_of(train_data);
  const DMatrix dense_valid = matrix_of(valid_data);
  const DMatrix quantile_train = quantile_of(train_data, 700, nullptr);
  const DMatrix quantile_valid = quantile_of(valid_data, 300, &quantile_train);
  const auto params = hp({"num_round=20", "eval_metric=auc"});
  const auto dense = train(dense_train, &dense_valid, params);
  const auto quantile = train(quantile_train, &quantile_valid, params);
  // Sketching in batches may place a few cuts differently from one pass over all
  // rows, so the models are close rather than identical.
  const auto a = dense.booster.predict(valid_data.view()).values;
  const auto b = quantile.booster.predict(valid_data.view()).values;
  double largest = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    largest = std::max<double>(largest, std::abs(a[i] - b[i]));
  EXPECT_LT(largest, 0.05);
  EXPECT_NEAR(dense.history.back().metrics[0].value, quantile.history.back().metrics[0].value,
              0.01);
  // Evaluation on the quantised validation matrix agrees with predicting its floats.
  EXPECT_NEAR(quantile.history.back().metrics[0].value, auc(b, valid_data.labels), 1e-6);

  EXPECT_THROW(train(quantile_train, nullptr, hp({"max_bin=64"})), Error);
  EXPECT_THROW(train(quantile_train, nullptr, hp({"tree_method=approx"})), Error);
}

// The tuning job trains trials in parallel threads on shared matrices.
TEST(ModelTrainer, ParallelTrialsOnSharedMatricesMatchSequentialOnes) {
  const auto train_data = make_dataset(Task::kBinary, 3000, 80, 5, true);
  const auto valid_data = make_dataset(Task::kBinary, 800, 81, 5, true);
  const DMatrix train_matrix = quantile_of(train_data, 1000, nullptr);
  const DMatrix valid_matrix = quantile_of(valid_data, 1000, &train_matrix);
  const std::vector<Hyperparameters> trials = {
      Hyperparameters::parse({"num_round=15", "nthread=1", "max_depth=3"}),
      Hyperparameters::parse({"num_round=15", "nthread=1", "eta=0.1", "lambda=4"}),
      Hyperparameters::parse({"num_round=15", "nthread=1", "subsample=0.7", "seed=3"}),
      Hyperparameters::parse({"num_round=15", "nthread=1", "max_depth=8"})};
  std::vector<std::vector<float>> sequential;
  for (const auto& trial : trials) {
    sequential.push_back(
        train(train_matrix, &valid_matrix, trial).booster.predict(valid_data.view()).values);
  }
  std::vector<std::vector<float>> parallel(trials.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < trials.size(); ++i) {
    threads.emplace_back([&, i] {
      parallel[i] =
          train(train_matrix, &valid_matrix, trials[i]).booster.predict(valid_data.view()).values;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(parallel, sequential);
}

}  // namespace
}  // namespace archml::model
