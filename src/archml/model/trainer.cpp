#include "archml/model/trainer.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "archml/core/error.h"
#include "archml/core/numbers.h"
#include "archml/core/parallel.h"
#include "archml/model/binary_areas.h"
#include "archml/model/early_stopping.h"
#include "archml/model/tree_ensemble.h"
#include "archml/model/xgboost_math.h"

namespace archml::model {
namespace {

void check_matrices(const DMatrix& train, const DMatrix* validation, const Hyperparameters& hp) {
  if (train.rows() == 0) throw_invalid("the training set has no rows");
  if (hp.tree_method == "archml")
    throw Error(ErrorKind::kUnsupported,
                "tree_method=archml is archml's own engine: train through train_with_engine "
                "(engine_trainer.h), not on XGBoost matrices");
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

// Whether auc and aucpr may be computed here (binary_areas); then they are when every
// eval set's labels are 0 or 1.
bool ranking_metrics_may_be_here(const ResolvedHyperparameters& resolved,
                                 bool xgboost_ranking_metrics) {
  return !xgboost_ranking_metrics && resolved.objective == "binary:logistic";
}

bool is_ranking_metric(const std::string& name) {
  return name == "auc" || name == "aucpr";
}

// Rows a thread handles at least in the per-round loops below: fewer are not worth a thread.
constexpr std::size_t kRowsPerThread = 1 << 16;

void for_row_blocks(std::size_t rows, unsigned threads,
                    const std::function<void(std::size_t, std::size_t)>& work) {
  const std::size_t blocks =
      std::max<std::size_t>(1, std::min<std::size_t>(threads, rows / kRowsPerThread));
  if (blocks == 1) {
    work(0, rows);
    return;
  }
  core::parallel_for(
      blocks, [&](std::size_t block) { work(rows * block / blocks, rows * (block + 1) / blocks); },
      static_cast<unsigned>(blocks));
}

// binary:logistic's gradient pairs as XGBoost 1.7's RegLossObj<LogisticClassification>
// computes them for unweighted rows: p = sigmoid(margin), gradient p - y, hessian
// max(p (1 - p), 1e-16), both times scale_pos_weight on rows labelled 1. XGBoost's loop
// goes through a generic transform with a weight lookup and a label check per row, a
// tenth of a single-thread round; this one gives the same floats, so the same trees.
class LogisticGradients {
 public:
  // Empty unless the objective is binary:logistic and every label is in [0, 1] (XGBoost
  // rejects other labels with its own message, so those go its way).
  static std::optional<LogisticGradients> when_applicable(const ResolvedHyperparameters& resolved,
                                                          std::vector<float> labels,
                                                          const Booster& booster) {
    if (resolved.objective != "binary:logistic") return std::nullopt;
    for (const float label : labels)
      if (!(label >= 0.0f && label <= 1.0f)) return std::nullopt;
    // The weight as XGBoost holds it: its own parameter parser turned the text into a
    // float, not necessarily the one strtof gives; its configuration prints that float
    // so that it reads back exactly.
    const auto config = nlohmann::json::parse(booster.save_config());
    const auto& loss = config.at("learner").at("objective").at("reg_loss_param");
    const float scale_pos_weight =
        std::strtof(loss.at("scale_pos_weight").get<std::string>().c_str(), nullptr);
    return LogisticGradients(std::move(labels), scale_pos_weight,
                             static_cast<unsigned>(std::max(1, resolved.nthread)));
  }

  void boost(Booster& booster, const DMatrix& train) {
    const std::span<const float> margins = booster.training_margins(train);
    if (margins.size() != labels_.size())
      throw Error(ErrorKind::kInternal, "XGBoost gave " + std::to_string(margins.size()) +
                                            " training margins for " +
                                            std::to_string(labels_.size()) + " rows");
    for_row_blocks(labels_.size(), threads_, [&](std::size_t begin, std::size_t end) {
      float* probabilities = hessians_.data();  // then overwritten row by row
      xgboost_sigmoid_all(margins.data() + begin, probabilities + begin, end - begin);
      for (std::size_t i = begin; i < end; ++i) {
        const float p = probabilities[i];
        const float label = labels_[i];
        const float weight = label == 1.0f ? scale_pos_weight_ : 1.0f;
        gradients_[i] = (p - label) * weight;
        // fmaxf's result (NaN included: it gives the bound), without the call.
        const float spread = p * (1.0f - p);
        hessians_[i] = (spread > 1e-16f ? spread : 1e-16f) * weight;
      }
    });
    booster.boost(train, gradients_, hessians_);
  }

 private:
  LogisticGradients(std::vector<float> labels, float scale_pos_weight, unsigned threads)
      : labels_(std::move(labels)),
        scale_pos_weight_(scale_pos_weight),
        threads_(threads),
        gradients_(labels_.size()),
        hessians_(labels_.size()) {}

  std::vector<float> labels_;
  float scale_pos_weight_;
  unsigned threads_;
  std::vector<float> gradients_, hessians_;
};

// The validation rows' scores, kept here round by round from each round's new trees
// (read back through Booster::slice as UBJSON). XGBoost's own cached prediction fills a
// feature vector for every row and transforms every score each round, about a fifth of
// a single-thread round on 200,000 rows; walking one new tree costs a fraction of that.
// The floats are Booster::predict's: TreeEnsemble adds the trees' values in order from
// the base margin and applies the same link.
class ValidationScores {
 public:
  ValidationScores(DenseView rows, unsigned threads) : rows_(rows), threads_(threads) {}

  // Brings the scores to every round up to `round`; must be called for rounds 0, 1, 2, ...
  // False when the round's trees are not ones TreeEnsemble walks (the caller then asks
  // XGBoost, whose cache starts from scratch; these scores are not used again).
  bool update(const Booster& booster, int round) {
    const auto ensemble =
        TreeEnsemble::from_model_ubjson(booster.slice(round, round + 1).save_ubjson(), 1);
    if (!ensemble || ensemble->width() != 1 || ensemble->num_features() != rows_.cols) return false;
    if (round == 0) margins_.assign(rows_.rows, ensemble->base_margin());
    scores_.resize(rows_.rows);
    for_row_blocks(rows_.rows, threads_, [&](std::size_t begin, std::size_t end) {
      ensemble->add_tree_values(rows_.values + begin * rows_.cols, end - begin,
                                margins_.data() + begin);
      ensemble->apply_link(margins_.data() + begin, scores_.data() + begin, end - begin);
    });
    return true;
  }

  const std::vector<float>& scores() const { return scores_; }

 private:
  DenseView rows_;
  unsigned threads_;
  std::vector<float> margins_, scores_;
};

// Splits the eval metrics between XGBoost and binary_areas (auc and aucpr of a
// binary:logistic model on 0/1 labels: the same values, without XGBoost's per-round
// sort) and puts each round's results back in XGBoost's order: set by set, metric by
// metric as eval_metric lists them.
class RoundEvaluator {
 public:
  RoundEvaluator(const ResolvedHyperparameters& resolved, std::vector<EvalSet> sets,
                 bool xgboost_ranking_metrics, std::optional<DenseView> validation_rows)
      : metric_names_(resolved.eval_metric),
        sets_(std::move(sets)),
        threads_(static_cast<unsigned>(std::max(1, resolved.nthread))) {
    // The labels are copied out of XGBoost only when they may be needed here.
    std::vector<std::vector<float>> label_sets;
    bool own = ranking_metrics_may_be_here(resolved, xgboost_ranking_metrics);
    for (const EvalSet& set : sets_) {
      if (!own) break;
      label_sets.push_back(set.matrix->labels());
      own = only_zeros_and_ones(label_sets.back());
    }
    for (const std::string& name : metric_names_) {
      const bool ours = own && is_ranking_metric(name);
      computed_here_.push_back(ours);
      any_here_ = any_here_ || ours;
      any_xgboost_ = any_xgboost_ || !ours;
    }
    for (const auto& [name, value] : resolved.xgboost_params) {
      if (name == "eval_metric" && is_computed_here(value)) continue;
      xgboost_params_.emplace_back(name, value);
    }
    if (any_here_) labels_ = std::move(label_sets);
    // Scoring the validation rows here only pays when XGBoost evaluates nothing on them.
    if (any_here_ && !any_xgboost_ && validation_rows)
      for (std::size_t s = 0; s < sets_.size(); ++s)
        if (sets_[s].name == "validation" && validation_rows->rows == sets_[s].matrix->rows()) {
          own_scores_.emplace(*validation_rows, threads_);
          own_scores_set_ = s;
        }
  }

  // The validation scores of the last round evaluated, when computed here.
  const std::vector<float>* own_validation_scores() const {
    return own_scores_ ? &own_scores_->scores() : nullptr;
  }

  // The parameters to give XGBoost: without the metrics computed here.
  const std::vector<std::pair<std::string, std::string>>& xgboost_params() const {
    return xgboost_params_;
  }

  std::vector<Metric> evaluate(Booster& booster, int round) {
    if (!any_here_) return booster.evaluate(round, sets_);
    std::vector<Metric> from_xgboost;
    if (any_xgboost_) from_xgboost = booster.evaluate(round, sets_);
    std::vector<Metric> metrics;
    std::size_t next_from_xgboost = 0;
    for (std::size_t s = 0; s < sets_.size(); ++s) {
      // The booster's prediction cache holds every earlier round's sum for this matrix,
      // so this adds one tree's scores: what XGBoost's own evaluation does.
      if (own_scores_ && s == own_scores_set_ && !own_scores_->update(booster, round))
        own_scores_.reset();
      Prediction from_booster;
      if (!own_scores_ || s != own_scores_set_)
        from_booster = booster.predict(*sets_[s].matrix, PredictionType::kValue, round + 1);
      const BinaryAreas areas = binary_areas(
          own_scores_ && s == own_scores_set_ ? own_scores_->scores() : from_booster.values,
          labels_[s], threads_);
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
  std::optional<ValidationScores> own_scores_;
  std::size_t own_scores_set_ = 0;
};

}  // namespace

bool scores_validation_itself(const Hyperparameters& hyperparameters,
                              std::span<const float> train_labels,
                              std::span<const float> validation_labels,
                              const TrainOptions& options) {
  if (!options.validation_rows || options.validation_rows->rows != validation_labels.size())
    return false;
  const ResolvedHyperparameters resolved = resolve(hyperparameters, summarize_target(train_labels));
  return ranking_metrics_may_be_here(resolved, options.xgboost_ranking_metrics) &&
         (!options.evaluate_train || only_zeros_and_ones(train_labels)) &&
         only_zeros_and_ones(validation_labels) &&
         std::all_of(resolved.eval_metric.begin(), resolved.eval_metric.end(), is_ranking_metric);
}

TrainedModel train(const DMatrix& train, const DMatrix* validation,
                   const Hyperparameters& hyperparameters, const TrainOptions& options) {
  check_matrices(train, validation, hyperparameters);
  const std::vector<float> labels = train.labels();
  ResolvedHyperparameters resolved = resolve(hyperparameters, summarize_target(labels));

  std::vector<EvalSet> eval_sets;
  if (options.evaluate_train) eval_sets.push_back({"train", &train});
  // Last, so that its last metric is the one early stopping watches.
  if (validation != nullptr) eval_sets.push_back({"validation", validation});
  RoundEvaluator evaluator(resolved, eval_sets, options.xgboost_ranking_metrics,
                           options.validation_rows);
  std::vector<const DMatrix*> cache = {&train};
  // XGBoost keeps a prediction cache for these. Validation rows scored here need none,
  // and a deferred matrix (DMatrix::deferred_dense) is then never built.
  if (validation != nullptr && (validation->built() || !evaluator.own_validation_scores()))
    cache.push_back(validation);

  TrainedModel model{Booster(cache), std::move(resolved),    {},          0, 0,
                     std::nullopt,   StopReason::kCompleted, std::nullopt};
  Booster& booster = model.booster;
  booster.set_params(evaluator.xgboost_params());
  // After the parameters: the gradients read scale_pos_weight back from XGBoost.
  std::optional<LogisticGradients> gradients;
  if (!options.xgboost_gradients)
    gradients = LogisticGradients::when_applicable(model.resolved, labels, booster);
  if (!train.feature_names().empty()) booster.set_feature_names(train.feature_names());

  EarlyStopping stopping(hyperparameters, model.resolved);
  const bool early_stopping = stopping.active();

  for (int round = 0; round < hyperparameters.num_round; ++round) {
    if (gradients)
      gradients->boost(booster, train);
    else
      booster.update(round, train);
    model.rounds = round + 1;
    RoundMetrics& current = model.history.emplace_back();
    current.round = round;
    current.metrics = evaluator.evaluate(booster, round);

    const EarlyStopping::Verdict verdict = stopping.observe(current.metrics);
    if (verdict.improved) {
      model.best_metric = *verdict.improved;
      // The attributes travel with the saved model; XGBoost's Python package reads
      // the same two.
      booster.set_attribute("best_iteration", std::to_string(round));
      booster.set_attribute("best_score", core::shortest_text(verdict.improved->value));
      if (const auto* scores = evaluator.own_validation_scores()) model.validation_scores = *scores;
    }
    bool stop = false;
    if (verdict.stop) {
      model.stop_reason = StopReason::kEarlyStopping;
      stop = true;
    }
    if (options.on_round && options.on_round(current) == RoundDecision::kStop && !stop) {
      model.stop_reason = StopReason::kCallback;
      stop = true;
    }
    if (stop) break;
  }

  // Without early stopping the booster predicts with every round: the last scores.
  if (const auto* scores = evaluator.own_validation_scores(); scores && !early_stopping)
    model.validation_scores = *scores;
  if (!evaluator.own_validation_scores()) model.validation_scores.reset();
  const auto best_iteration = booster.best_iteration();
  model.best_round = best_iteration ? *best_iteration : model.rounds - 1;
  return model;
}

}  // namespace archml::model
