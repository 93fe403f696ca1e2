#include "archml/model/early_stopping.h"

#include "archml/core/error.h"

namespace archml::model {

EarlyStopping::EarlyStopping(const Hyperparameters& hyperparameters,
                             const ResolvedHyperparameters& resolved)
    : rounds_(hyperparameters.early_stopping_rounds),
      watched_("validation:" + resolved.eval_metric.back()),
      maximize_(metric_is_maximized(resolved.eval_metric.back())) {}

EarlyStopping::Verdict EarlyStopping::observe(std::span<const Metric> metrics) {
  Verdict verdict;
  if (!rounds_) return verdict;
  const Metric* score = nullptr;
  for (const Metric& metric : metrics)
    if (metric.name == watched_) score = &metric;
  if (score == nullptr) throw Error(ErrorKind::kInternal, "no round metric " + watched_);
  if (!best_ || (maximize_ ? score->value > *best_ : score->value < *best_)) {
    best_ = score->value;
    since_best_ = 0;
    verdict.improved = *score;
  } else if (++since_best_ >= *rounds_) {
    verdict.stop = true;
  }
  return verdict;
}

}  // namespace archml::model
