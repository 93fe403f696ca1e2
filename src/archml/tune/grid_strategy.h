// Grid search over categorical and integer ranges (SageMaker's Grid allows categorical
// ranges only; integers are enumerated here too). Every combination is proposed once, in
// order, skipping combinations already finished (warm start) or running; continuous
// ranges are rejected because a grid over them would be arbitrary.
#pragma once

#include <cstddef>

#include "archml/tune/strategy.h"

namespace archml::tune {

class GridStrategy : public Strategy {
 public:
  // Throws invalid for continuous ranges or more than a million combinations.
  explicit GridStrategy(const SearchSpace& space);
  std::optional<Configuration> suggest(const std::vector<Observation>& finished,
                                       const std::vector<Configuration>& running) override;
  std::size_t size() const { return size_; }

 private:
  Configuration at(std::size_t index) const;

  const SearchSpace& space_;
  std::size_t size_ = 1;
  std::size_t next_ = 0;
};

}  // namespace archml::tune
