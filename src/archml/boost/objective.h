// The losses the engine boosts, with XGBoost 1.7's gradients, hessians, links and
// base-score transforms:
//  - binary:logistic: p = sigmoid(margin), gradient (p - y) w, hessian max(p (1 - p),
//    1e-16) w, w = scale_pos_weight for rows labelled 1; the margin starts at
//    logit(base_score); scores are p.
//  - reg:squarederror: gradient margin - y, hessian 1; the margin starts at base_score.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>

namespace archml::boost {

enum class Objective { kBinaryLogistic, kSquaredError };

// "binary:logistic" or "reg:squarederror"; throws archml::Error (unsupported) otherwise.
Objective parse_objective(std::string_view name);
std::string objective_name(Objective objective);

struct GradientPair {
  float grad = 0;
  float hess = 0;
};

// The gradient pair of one row.
inline GradientPair gradient_of(Objective objective, float margin, float label,
                                float scale_pos_weight) {
  if (objective == Objective::kSquaredError) return {margin - label, 1.0f};
  const float p = 1.0f / (1.0f + std::exp(-margin));
  const float weight = label == 1.0f ? scale_pos_weight : 1.0f;
  const float spread = p * (1.0f - p);
  return {(p - label) * weight, (spread > 1e-16f ? spread : 1e-16f) * weight};
}

// Gradient pairs of rows [0, count).
void compute_gradients(Objective objective, const float* margins, const float* labels,
                       float scale_pos_weight, std::size_t count, GradientPair* out);

// The margin every row starts from.
float initial_margin(Objective objective, double base_score);
// The score of a margin (the link's inverse).
float transform_margin(Objective objective, float margin);

}  // namespace archml::boost
