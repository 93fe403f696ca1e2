#include "archml/features/feature_matrix.h"

namespace archml::features {

FeatureMatrix::FeatureMatrix(std::size_t rows, std::vector<std::string> names)
    : rows_(rows), names_(std::move(names)) {
  // new float[n] (not new float[n]()) leaves the values uninitialised on purpose.
  values_.reset(new float[rows_ * names_.size() + 1]);
}

std::ptrdiff_t FeatureMatrix::find(std::string_view name) const {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return static_cast<std::ptrdiff_t>(i);
  return -1;
}

}  // namespace archml::features
