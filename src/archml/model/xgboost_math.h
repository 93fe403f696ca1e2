// XGBoost 1.7's float arithmetic where archml must reproduce it to the bit: scores and
// gradients computed here are compared with XGBoost's own (ties in a ranking metric, the
// trees built from the gradients), so every step keeps XGBoost's float operations.
#pragma once

#include <algorithm>
#include <cmath>

namespace archml::model {

// common::Sigmoid (src/common/math.h).
inline float xgboost_sigmoid(float x) {
  constexpr float kEps = 1e-16f;
  const float clipped = std::min(-x, 88.7f);
  const float denominator = expf(clipped) + 1.0f + kEps;
  return 1.0f / denominator;
}

}  // namespace archml::model
