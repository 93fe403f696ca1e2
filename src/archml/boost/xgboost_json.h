// The engine's trees as XGBoost's JSON model (the format of XGBoost 1.7's
// Booster.save_model("model.json")): the file loads in xgboost.Booster(model_file=...)
// and in archml's Booster::load_json, and predicts what the engine's trees predict.
// Knows the format, not the XGBoost library.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "archml/boost/objective.h"
#include "archml/boost/tree.h"

namespace archml::boost {

struct ModelDescription {
  Objective objective = Objective::kBinaryLogistic;
  double base_score = 0.5;  // in score space, as XGBoost's learner_model_param holds it
  float scale_pos_weight = 1;
  std::size_t num_feature = 0;
  std::vector<std::string> feature_names;  // empty, or one per feature
  std::map<std::string, std::string> attributes;
};

std::string xgboost_json(const ModelDescription& model, std::span<const Tree> trees);

}  // namespace archml::boost
