#include "archml/model/trainer.h"

#include <array>
#include <charconv>
#include <string>

#include "archml/core/error.h"

namespace archml::model {
namespace {

std::string shortest_text(double value) {
  std::array<char, 32> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  (void)ec;  // 32 characters hold any double
  return std::string(buffer.data(), end);
}

void check_matrices(const DMatrix& train, const DMatrix* validation, const Hyperparameters& hp) {
  if (train.rows() == 0) throw_invalid("the training set has no rows");
  if (train.labels().size() != train.rows()) {
    throw_invalid("the training matrix has no labels; give one label per row");
  }
  if (validation != nullptr) {
    if (validation->cols() != train.cols()) {
      throw_invalid("the validation rows have " + std::to_string(validation->cols()) +
                    " features but the training rows have " + std::to_string(train.cols()));
    }
    if (validation->rows() == 0) throw_invalid("the validation set has no rows");
    if (validation->labels().size() != validation->rows()) {
      throw_invalid("the validation matrix has no labels; give one label per row");
    }
    if (!validation->feature_names().empty() && !train.feature_names().empty() &&
        validation->feature_names() != train.feature_names()) {
      throw_invalid("the validation matrix's feature names differ from the training matrix's");
    }
  }
  if (hp.early_stopping_rounds && validation == nullptr) {
    throw_invalid("early_stopping_rounds needs a validation set to watch");
  }
  for (const DMatrix* matrix : {&train, validation}) {
    if (matrix == nullptr || !matrix->max_bin()) continue;
    if (hp.tree_method != "hist") {
      throw_invalid("a quantised matrix trains with tree_method=hist only, not " + hp.tree_method);
    }
    if (*matrix->max_bin() != hp.max_bin) {
      throw_invalid("max_bin=" + std::to_string(hp.max_bin) +
                    " but the matrix was quantised with " + std::to_string(*matrix->max_bin()) +
                    " bins; build it with the same max_bin or leave max_bin at that value");
    }
  }
}

}  // namespace

TrainedModel train(const DMatrix& train, const DMatrix* validation,
                   const Hyperparameters& hyperparameters, const TrainOptions& options) {
  check_matrices(train, validation, hyperparameters);
  const std::vector<float> labels = train.labels();
  ResolvedHyperparameters resolved = resolve(hyperparameters, summarize_target(labels));

  std::vector<const DMatrix*> cache = {&train};
  std::vector<EvalSet> eval_sets;
  if (options.evaluate_train) eval_sets.push_back({"train", &train});
  if (validation != nullptr) {
    cache.push_back(validation);
    // Last, so that its last metric is the one early stopping watches.
    eval_sets.push_back({"validation", validation});
  }

  TrainedModel model{Booster(cache), std::move(resolved),   {}, 0, 0,
                     std::nullopt,   StopReason::kCompleted};
  Booster& booster = model.booster;
  booster.set_params(model.resolved.xgboost_params);
  if (!train.feature_names().empty()) booster.set_feature_names(train.feature_names());

  const bool early_stopping = hyperparameters.early_stopping_rounds.has_value();
  const std::string watched = "validation:" + model.resolved.eval_metric.back();
  const bool maximize = metric_is_maximized(model.resolved.eval_metric.back());
  std::optional<double> best;
  int rounds_since_best = 0;

  for (int round = 0; round < hyperparameters.num_round; ++round) {
    booster.update(round, train);
    model.rounds = round + 1;
    RoundMetrics& current = model.history.emplace_back();
    current.round = round;
    current.metrics = booster.evaluate(round, eval_sets);

    bool stop = false;
    if (early_stopping) {
      const Metric* score = nullptr;
      for (const Metric& metric : current.metrics) {
        if (metric.name == watched) score = &metric;
      }
      if (score == nullptr) {
        throw Error(ErrorKind::kInternal, "XGBoost did not report " + watched);
      }
      const bool improved = !best || (maximize ? score->value > *best : score->value < *best);
      if (improved) {
        best = score->value;
        rounds_since_best = 0;
        model.best_metric = *score;
        // The attributes travel with the saved model; XGBoost's Python package reads
        // the same two.
        booster.set_attribute("best_iteration", std::to_string(round));
        booster.set_attribute("best_score", shortest_text(score->value));
      } else if (++rounds_since_best >= *hyperparameters.early_stopping_rounds) {
        model.stop_reason = StopReason::kEarlyStopping;
        stop = true;
      }
    }
    if (options.on_round && options.on_round(current) == RoundDecision::kStop && !stop) {
      model.stop_reason = StopReason::kCallback;
      stop = true;
    }
    if (stop) break;
  }

  const auto best_iteration = booster.best_iteration();
  model.best_round = best_iteration ? *best_iteration : model.rounds - 1;
  return model;
}

}  // namespace archml::model
