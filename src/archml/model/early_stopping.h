// XGBoost's early-stopping rule, shared by both engines' trainers: after each round,
// the LAST eval_metric on the validation set is compared with the best so far (strictly
// better: larger for auc/aucpr/map/ndcg, smaller otherwise); training stops once
// early_stopping_rounds rounds pass without improvement.
#pragma once

#include <optional>
#include <string>

#include "archml/model/booster.h"
#include "archml/model/hyperparameters.h"

namespace archml::model {

class EarlyStopping {
 public:
  EarlyStopping(const Hyperparameters& hyperparameters, const ResolvedHyperparameters& resolved);

  struct Verdict {
    std::optional<Metric> improved;  // this round's metric when it is the new best
    bool stop = false;
  };
  // The verdict on a round's metrics; nothing when early stopping is off. Throws
  // archml::Error (internal) when the watched metric is missing.
  Verdict observe(std::span<const Metric> metrics);
  bool active() const { return rounds_.has_value(); }

 private:
  std::optional<int> rounds_;
  std::string watched_;
  bool maximize_ = false;
  std::optional<double> best_;
  int since_best_ = 0;
};

}  // namespace archml::model
