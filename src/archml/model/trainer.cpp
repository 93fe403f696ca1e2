#include "archml/model/trainer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>

#include "archml/core/error.h"
#include "archml/model/binary_areas.h"

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

bool only_zeros_and_ones(std::span<const float> labels) {
  return std::all_of(labels.begin(), labels.end(),
                     [](float label) { return label == 0.0f || label == 1.0f; });
}

// Splits the eval metrics between XGBoost and binary_areas (auc and aucpr of a
// binary:logistic model on 0/1 labels: the same values, without XGBoost's per-round
// sort) and puts each round's results back in XGBoost's order: set by set, metric by
// metric as eval_metric lists them.
class RoundEvaluator {
 public:
  RoundEvaluator(const ResolvedHyperparameters& resolved, std::vector<EvalSet> sets,
                 bool xgboost_ranking_metrics)
      : metric_names_(resolved.eval_metric),
        sets_(std::move(sets)),
        threads_(static_cast<unsigned>(std::max(1, resolved.nthread))) {
    bool own = !xgboost_ranking_metrics && resolved.objective == "binary:logistic";
    for (const EvalSet& set : sets_) {
      if (!own) break;
      own = only_zeros_and_ones(set.matrix->labels());
    }
    for (const std::string& name : metric_names_) {
      const bool ours = own && (name == "auc" || name == "aucpr");
      computed_here_.push_back(ours);
      any_here_ = any_here_ || ours;
      any_xgboost_ = any_xgboost_ || !ours;
    }
    for (const auto& [name, value] : resolved.xgboost_params) {
      if (name == "eval_metric" && is_computed_here(value)) continue;
      xgboost_params_.emplace_back(name, value);
    }
    if (any_here_)
      for (const EvalSet& set : sets_) labels_.push_back(set.matrix->labels());
  }

  // The parameters to give XGBoost: without the metrics computed here.
  const std::vector<std::pair<std::string, std::string>>& xgboost_params() const {
    return xgboost_params_;
  }

  std::vector<Metric> evaluate(Booster& booster, int round) const {
    if (!any_here_) return booster.evaluate(round, sets_);
    std::vector<Metric> from_xgboost;
    if (any_xgboost_) from_xgboost = booster.evaluate(round, sets_);
    std::vector<Metric> metrics;
    std::size_t next_from_xgboost = 0;
    for (std::size_t s = 0; s < sets_.size(); ++s) {
      // The booster's prediction cache holds every earlier round's sum for this matrix,
      // so this adds one tree's scores: what XGBoost's own evaluation does.
      const Prediction scores =
          booster.predict(*sets_[s].matrix, PredictionType::kValue, round + 1);
      const BinaryAreas areas = binary_areas(scores.values, labels_[s], threads_);
      for (std::size_t m = 0; m < metric_names_.size(); ++m) {
        if (!computed_here_[m]) {
          if (next_from_xgboost >= from_xgboost.size())
            throw Error(ErrorKind::kInternal,
                        "XGBoost did not report " + sets_[s].name + ":" + metric_names_[m]);
          metrics.push_back(from_xgboost[next_from_xgboost++]);
        } else {
          const double value = metric_names_[m] == "auc" ? areas.roc_auc : areas.pr_auc;
          metrics.push_back({sets_[s].name + ":" + metric_names_[m], as_xgboost_reports(value)});
        }
      }
    }
    return metrics;
  }

 private:
  bool is_computed_here(const std::string& metric) const {
    for (std::size_t m = 0; m < metric_names_.size(); ++m)
      if (metric_names_[m] == metric) return computed_here_[m];
    return false;
  }

  std::vector<std::string> metric_names_;
  std::vector<EvalSet> sets_;
  unsigned threads_;
  std::vector<bool> computed_here_;
  bool any_here_ = false;
  bool any_xgboost_ = false;
  std::vector<std::pair<std::string, std::string>> xgboost_params_;
  std::vector<std::vector<float>> labels_;
};

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
  const RoundEvaluator evaluator(model.resolved, eval_sets, options.xgboost_ranking_metrics);
  booster.set_params(evaluator.xgboost_params());
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
    current.metrics = evaluator.evaluate(booster, round);

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
