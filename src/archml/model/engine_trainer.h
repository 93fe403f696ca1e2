// Trains with archml's own engine (boost/, hyperparameter tree_method=archml) behind the
// same contract as trainer.h's train(): per-round metrics named as SageMaker names them,
// the round callback, early stopping on the last validation metric (XGBoost's rule), and
// a TrainedModel whose booster is XGBoost's, loaded from the engine's trees exported as
// XGBoost JSON, so bundles, prediction, SHAP and serving work unchanged.
//
// So far: objectives binary:logistic and reg:squarederror; eval metrics auc, aucpr
// (binary_areas.h), logloss, error, rmse, mae, computed here from the validation scores
// kept round by round (and the training margins with evaluate_train); depthwise trees
// (max_depth >= 1); max_bin up to 255 bins.
#pragma once

#include <span>
#include <string>

#include "archml/boost/binned_matrix.h"
#include "archml/model/dense_view.h"
#include "archml/model/hyperparameters.h"
#include "archml/model/trainer.h"

namespace archml::model {

// Whether `hp` asks for archml's engine.
inline bool uses_engine(const Hyperparameters& hp) {
  return hp.tree_method == "archml";
}

// The training rows binned as the engine wants them (built once, shared by trials).
boost::BinnedMatrix bin_for_engine(const DenseView& rows, const Hyperparameters& hp);

// `train` holds the training rows' bins with `labels`; `validation` (rows.values may be
// null: no validation set) the validation rows as floats with their labels.
// options.validation_rows is ignored: the engine always scores the validation rows
// itself and returns them in TrainedModel::validation_scores. Throws archml::Error
// (invalid input, unsupported) for what the engine does not take.
TrainedModel train_with_engine(const boost::BinnedMatrix& train, std::span<const float> labels,
                               std::span<const std::string> feature_names,
                               const DenseView& validation,
                               std::span<const float> validation_labels,
                               const Hyperparameters& hyperparameters,
                               const TrainOptions& options = {});

}  // namespace archml::model
