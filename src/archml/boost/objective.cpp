#include "archml/boost/objective.h"

#include <cmath>

#include "archml/core/error.h"

namespace archml::boost {

Objective parse_objective(std::string_view name) {
  if (name == "binary:logistic") return Objective::kBinaryLogistic;
  if (name == "reg:squarederror") return Objective::kSquaredError;
  throw Error(ErrorKind::kUnsupported,
              "tree_method=archml trains binary:logistic and reg:squarederror so far, not " +
                  std::string(name) + "; use tree_method=hist for it");
}

std::string objective_name(Objective objective) {
  return objective == Objective::kBinaryLogistic ? "binary:logistic" : "reg:squarederror";
}

void compute_gradients(Objective objective, const float* margins, const float* labels,
                       float scale_pos_weight, std::size_t count, GradientPair* out) {
  for (std::size_t i = 0; i < count; ++i)
    out[i] = gradient_of(objective, margins[i], labels[i], scale_pos_weight);
}

float initial_margin(Objective objective, double base_score) {
  if (objective == Objective::kSquaredError) return static_cast<float>(base_score);
  const float p = static_cast<float>(base_score);
  return -std::log(1.0f / p - 1.0f);
}

float transform_margin(Objective objective, float margin) {
  if (objective == Objective::kSquaredError) return margin;
  return 1.0f / (1.0f + std::exp(-margin));
}

}  // namespace archml::boost
