// Trains one XGBoost model: resolves the hyperparameters against the training labels,
// boosts round by round, evaluates after each round and decides whether to go on.
//
// Evaluation: the validation set every round with each eval_metric; the training set
// only when options.evaluate_train asks (it costs a full pass over the training rows
// per metric per round). auc and aucpr of binary:logistic come from binary_areas.h. Metrics are
// named as SageMaker names them (validation:auc, train:logloss), and the callback sees them as soon
// as a round ends. Given the validation rows as floats (TrainOptions::validation_rows) and
// no validation metric left to XGBoost, the trainer scores those rows itself from each
// round's new tree.
//
// Gradients: binary:logistic's are computed here (the same floats as XGBoost's objective,
// so the same trees) and handed to XGBoost's custom-gradient round; other objectives use
// XGBoost's own.
//
// Stopping: after num_round rounds; or when early_stopping_rounds rounds pass without
// the LAST eval_metric on the validation set improving (XGBoost's rule: strictly better,
// larger for auc/aucpr/map/ndcg, smaller otherwise), which records best_iteration and
// best_score on the booster; or when the per-round callback says kStop (a tuner pruning
// a trial by the median rule or Hyperband).
//
// Sharing matrices: many trials may train at once, each in its own thread, on the same
// train/validation DMatrix objects; the matrices are only read. Caveats, from how
// XGBoost 1.7 caches data inside a DMatrix:
//  - use tree_method=hist. approx rebuilds the matrix's histogram index every round and
//    exact builds a column index on first use; neither is guarded by a lock.
//  - for the training matrix prefer DMatrix::quantile_from_batches: its histogram index
//    is built once, up front. A from_dense matrix builds it lazily on the first hist
//    round, unguarded; train one round on it alone first (or build it quantised) before
//    starting parallel trials. A validation matrix is only predicted on, which reads a
//    from_dense matrix as it is (and faster than a quantised one).
//  - every trial must use the matrix's max_bin (checked here for quantile matrices; a
//    from_dense matrix silently rebuilds its index when max_bin changes, racing).
//  - each trial's nthread adds up: trials x nthread should not exceed the cores.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "archml/model/booster.h"
#include "archml/model/dmatrix.h"
#include "archml/model/hyperparameters.h"

namespace archml::model {

struct RoundMetrics {
  int round = 0;  // from 0
  std::vector<Metric> metrics;
};

enum class RoundDecision { kContinue, kStop };

// Called after every round with that round's metrics (empty when there is nothing to
// evaluate). May throw; the exception ends training and propagates out of train().
using RoundCallback = std::function<RoundDecision(const RoundMetrics&)>;

struct TrainOptions {
  bool evaluate_train = false;
  // auc and aucpr of binary:logistic with 0/1 labels are computed by binary_areas (the
  // same values, faster); true leaves them to XGBoost, for tests that compare the two.
  bool xgboost_ranking_metrics = false;
  // binary:logistic's gradients are computed by archml (the same floats, faster); true
  // leaves them to XGBoost, for tests that compare the two.
  bool xgboost_gradients = false;
  // The validation matrix's rows as floats (the view it was built from), optional. With
  // them, when every validation metric is computed here, the trainer scores those rows
  // itself from each round's new tree instead of asking XGBoost to, and returns the
  // scores in TrainedModel::validation_scores. The memory must outlive train().
  std::optional<DenseView> validation_rows;
  RoundCallback on_round;
};

enum class StopReason { kCompleted, kEarlyStopping, kCallback };

struct TrainedModel {
  Booster booster;
  ResolvedHyperparameters resolved;
  std::vector<RoundMetrics> history;  // one entry per round trained
  int rounds = 0;                     // rounds trained (trees per class)
  int best_round = 0;                 // the round predictions use: best, else the last
  std::optional<Metric> best_metric;  // the early-stopping metric at best_round
  StopReason stop_reason = StopReason::kCompleted;
  // The validation rows' scores as booster.predict(validation) gives them (up to the
  // best round when early stopping recorded one), when the trainer computed them itself
  // (see TrainOptions::validation_rows). XGBoost's prediction cache then holds nothing
  // for the validation matrix, so asking the booster would score every round again.
  std::optional<std::vector<float>> validation_scores;
};

// Whether train() would score the validation rows itself from options.validation_rows
// (binary:logistic on 0/1 labels, every eval metric auc or aucpr), so that it never asks
// XGBoost to predict on the validation matrix: one built with DMatrix::deferred_dense is
// then never copied into XGBoost, unless a tree comes that TreeEnsemble cannot walk.
// Throws archml::Error for hyperparameters that do not fit the labels, as train() would.
bool scores_validation_itself(const Hyperparameters& hyperparameters,
                              std::span<const float> train_labels,
                              std::span<const float> validation_labels,
                              const TrainOptions& options);

// `train` and `validation` (optional) must carry labels and the same columns; the
// booster takes train's feature names. Throws archml::Error (invalid input) for
// hyperparameters that do not fit the data, early stopping without validation rows,
// or a quantile matrix with another max_bin or tree_method.
TrainedModel train(const DMatrix& train, const DMatrix* validation,
                   const Hyperparameters& hyperparameters, const TrainOptions& options = {});

}  // namespace archml::model
