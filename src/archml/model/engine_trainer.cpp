#include "archml/model/engine_trainer.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "archml/boost/gradient_booster.h"
#include "archml/boost/xgboost_json.h"
#include "archml/core/error.h"
#include "archml/core/numbers.h"
#include "archml/core/parallel.h"
#include "archml/model/binary_areas.h"
#include "archml/model/early_stopping.h"

namespace archml::model {
namespace {

constexpr std::size_t kScoreRowsPerBlock = 1 << 16;

template <typename Work>
void for_score_blocks(std::size_t rows, unsigned threads, const Work& work) {
  const std::size_t blocks =
      std::max<std::size_t>(1, (rows + kScoreRowsPerBlock - 1) / kScoreRowsPerBlock);
  core::parallel_for(
      blocks,
      [&](std::size_t b) {
        work(b * kScoreRowsPerBlock, std::min(rows, (b + 1) * kScoreRowsPerBlock));
      },
      threads);
}

bool is_supported_metric(const std::string& name) {
  return name == "auc" || name == "aucpr" || name == "logloss" || name == "error" ||
         name == "rmse" || name == "mae";
}

void check_supported(const Hyperparameters& hp, const ResolvedHyperparameters& resolved) {
  (void)boost::parse_objective(resolved.objective);  // throws for the others
  for (const std::string& metric : resolved.eval_metric)
    if (!is_supported_metric(metric))
      throw Error(ErrorKind::kUnsupported,
                  "tree_method=archml computes eval_metric auc, aucpr, logloss, error, rmse and "
                  "mae so far, not " +
                      metric + "; use tree_method=hist for it");
  if (hp.max_depth < 1)
    throw Error(ErrorKind::kUnsupported,
                "tree_method=archml grows trees to a depth limit: give max_depth >= 1");
}

boost::BoostParams engine_params(const Hyperparameters& hp, const ResolvedHyperparameters& r) {
  boost::BoostParams p;
  p.objective = boost::parse_objective(r.objective);
  p.tree.lambda = hp.lambda;
  p.tree.alpha = hp.alpha;
  p.tree.max_delta_step = r.max_delta_step;
  p.tree.min_child_weight = hp.min_child_weight;
  p.max_depth = hp.max_depth;
  p.eta = hp.eta;
  p.gamma = hp.gamma;
  p.subsample = hp.subsample;
  p.colsample_bytree = hp.colsample_bytree;
  p.colsample_bylevel = hp.colsample_bylevel;
  p.colsample_bynode = hp.colsample_bynode;
  p.scale_pos_weight = static_cast<float>(r.scale_pos_weight);
  p.base_score = r.base_score;
  p.seed = static_cast<std::uint64_t>(hp.seed);
  p.threads = static_cast<unsigned>(std::max(1, r.nthread));
  return p;
}

// One eval metric of scores (probabilities or responses) against labels, as XGBoost
// defines it for unweighted rows.
double metric_value(const std::string& name, std::span<const float> scores,
                    std::span<const float> labels, unsigned threads) {
  if (name == "auc" || name == "aucpr") {
    const BinaryAreas areas = binary_areas(scores, labels, threads);
    return name == "auc" ? areas.roc_auc : areas.pr_auc;
  }
  double sum = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const double p = scores[i], y = labels[i];
    if (name == "logloss") {
      constexpr double kEps = 1e-16;
      const double q = std::clamp(p, kEps, 1 - kEps);
      sum -= y * std::log(q) + (1 - y) * std::log(1 - q);
    } else if (name == "error") {
      sum += (p > 0.5 ? 1.0 : 0.0) != y ? 1 : 0;
    } else if (name == "rmse") {
      sum += (y - p) * (y - p);
    } else {  // mae
      sum += std::fabs(y - p);
    }
  }
  const double mean = scores.empty() ? 0 : sum / static_cast<double>(scores.size());
  return name == "rmse" ? std::sqrt(mean) : mean;
}

// A set's margins kept round by round and its scores under the objective's link.
struct ScoredSet {
  std::string name;
  std::span<const float> labels;
  std::vector<float> scores;
};

void append_metrics(const ScoredSet& set, const ResolvedHyperparameters& resolved, unsigned threads,
                    std::vector<Metric>& out) {
  for (const std::string& metric : resolved.eval_metric)
    out.push_back({set.name + ":" + metric,
                   as_xgboost_reports(metric_value(metric, set.scores, set.labels, threads))});
}

}  // namespace

boost::BinnedMatrix bin_for_engine(const DenseView& rows, const Hyperparameters& hp) {
  const unsigned threads = hp.nthread > 0 ? static_cast<unsigned>(hp.nthread) : 0;
  return boost::BinnedMatrix::build({rows.values, rows.rows, rows.cols}, hp.max_bin, threads);
}

TrainedModel train_with_engine(const boost::BinnedMatrix& train, std::span<const float> labels,
                               std::span<const std::string> feature_names,
                               const DenseView& validation,
                               std::span<const float> validation_labels,
                               const Hyperparameters& hyperparameters,
                               const TrainOptions& options) {
  if (train.rows() == 0) throw_invalid("the training set has no rows");
  const bool validating = validation.values != nullptr;
  if (validating &&
      (validation.cols != train.cols() || validation_labels.size() != validation.rows))
    throw_invalid("the validation rows do not match the training rows' columns or labels");
  if (hyperparameters.early_stopping_rounds && !validating)
    throw_invalid("early_stopping_rounds needs a validation set to watch");
  ResolvedHyperparameters resolved = resolve(hyperparameters, summarize_target(labels));
  check_supported(hyperparameters, resolved);
  const boost::BoostParams params = engine_params(hyperparameters, resolved);
  boost::GradientBooster booster(train, labels, params);

  std::optional<ScoredSet> train_set, validation_set;
  if (options.evaluate_train) train_set = ScoredSet{"train", labels, {}};
  std::vector<float> validation_margins;
  if (validating) {
    validation_set = ScoredSet{"validation", validation_labels, {}};
    validation_margins.assign(validation.rows, booster.base_margin());
    validation_set->scores.resize(validation.rows);
  }

  TrainedModel model{Booster(),   resolved, {}, 0, 0, std::nullopt, StopReason::kCompleted,
                     std::nullopt};
  EarlyStopping stopping(hyperparameters, resolved);
  std::optional<int> best_round;
  const unsigned threads = params.threads;
  for (int round = 0; round < hyperparameters.num_round; ++round) {
    const boost::Tree& tree = booster.boost_round();
    model.rounds = round + 1;
    RoundMetrics& current = model.history.emplace_back();
    current.round = round;
    if (train_set) {
      const std::span<const float> margins = booster.training_margins();
      train_set->scores.resize(margins.size());
      for_score_blocks(margins.size(), threads, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i)
          train_set->scores[i] = boost::transform_margin(params.objective, margins[i]);
      });
      append_metrics(*train_set, resolved, threads, current.metrics);
    }
    if (validation_set) {
      for_score_blocks(validation.rows, threads, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          validation_margins[i] += tree.predict(validation.values + i * validation.cols);
          validation_set->scores[i] =
              boost::transform_margin(params.objective, validation_margins[i]);
        }
      });
      append_metrics(*validation_set, resolved, threads, current.metrics);
    }
    const EarlyStopping::Verdict verdict = stopping.observe(current.metrics);
    if (verdict.improved) {
      model.best_metric = *verdict.improved;
      best_round = round;
      model.validation_scores = validation_set->scores;
    }
    bool stop = verdict.stop;
    if (stop) model.stop_reason = StopReason::kEarlyStopping;
    if (options.on_round && options.on_round(current) == RoundDecision::kStop && !stop) {
      model.stop_reason = StopReason::kCallback;
      stop = true;
    }
    if (stop) break;
  }
  if (!stopping.active() && validation_set) model.validation_scores = validation_set->scores;

  boost::ModelDescription description;
  description.objective = params.objective;
  description.base_score = resolved.base_score;
  description.scale_pos_weight = params.scale_pos_weight;
  description.num_feature = train.cols();
  description.feature_names.assign(feature_names.begin(), feature_names.end());
  if (best_round) {
    // What XGBoost's Python package and Booster::best_iteration read.
    description.attributes["best_iteration"] = std::to_string(*best_round);
    description.attributes["best_score"] = core::shortest_text(model.best_metric->value);
  }
  model.booster = Booster::load_json(boost::xgboost_json(description, booster.trees()));
  model.booster.set_param("nthread", std::to_string(threads));
  model.best_round = best_round ? *best_round : model.rounds - 1;
  return model;
}

}  // namespace archml::model
