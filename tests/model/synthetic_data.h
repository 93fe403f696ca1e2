// Small synthetic data sets for the model tests: a dense row-major float32 matrix with
// labels, as the feature recipe hands to the model layer.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "archml/model/dense_view.h"

namespace archml::model::testing {

struct Dataset {
  std::vector<float> values;
  std::vector<float> labels;
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<std::string> names;

  DenseView view() const { return {values.data(), rows, cols}; }
};

enum class Task { kBinary, kMulticlass, kRegression };

// Features are standard normal (a few NaN when `missing`); the target depends on the
// first two columns, so a tree model separates it well, with a little label noise.
inline Dataset make_dataset(Task task, std::size_t rows, std::uint64_t seed, std::size_t cols = 5,
                            bool missing = false) {
  std::mt19937_64 random(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Dataset data;
  data.rows = rows;
  data.cols = cols;
  for (std::size_t c = 0; c < cols; ++c) data.names.push_back("feature_" + std::to_string(c));
  for (std::size_t r = 0; r < rows; ++r) {
    float x[16];
    for (std::size_t c = 0; c < cols; ++c) {
      x[c] = normal(random);
      data.values.push_back(missing && c == 2 && uniform(random) < 0.1 ? NAN : x[c]);
    }
    const double signal = 2.0 * x[0] + 1.5 * x[1];
    switch (task) {
      case Task::kBinary: {
        // Steep logistic: nearly separable, about half positives.
        const double p = 1 / (1 + std::exp(-3 * signal));
        data.labels.push_back(uniform(random) < p ? 1.0f : 0.0f);
        break;
      }
      case Task::kMulticlass:
        data.labels.push_back(signal < -1 ? 0.0f : signal < 1 ? 1.0f : 2.0f);
        break;
      case Task::kRegression:
        data.labels.push_back(static_cast<float>(10 + signal + 0.1 * normal(random)));
        break;
    }
  }
  return data;
}

}  // namespace archml::model::testing
