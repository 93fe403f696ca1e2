// XGBoost 1.7's float arithmetic where archml must reproduce it to the bit: scores and
// gradients computed here are compared with XGBoost's own (ties in a ranking metric, the
// trees built from the gradients), so every step keeps XGBoost's float operations.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace archml::model {

// common::Sigmoid (src/common/math.h).
inline float xgboost_sigmoid(float x) {
  constexpr float kEps = 1e-16f;
  const float clipped = std::min(-x, 88.7f);
  const float denominator = expf(clipped) + 1.0f + kEps;
  return 1.0f / denominator;
}

// xgboost_sigmoid of each of `count` values (`out` may be `in`), the same floats. Where
// glibc's expf is its AVX2+FMA variant, four values at a time by that variant's very
// operations (a self-check on first use falls back to the scalar loop if this libm's
// expf gives anything else); the scalar call is a fifth of a one-thread boosting round.
void xgboost_sigmoid_all(const float* in, float* out, std::size_t count);
// Whether xgboost_sigmoid_all takes the four-at-a-time path on this machine.
bool xgboost_sigmoid_all_is_vectorised();

}  // namespace archml::model
