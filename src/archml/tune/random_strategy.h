// Random search: every proposal is drawn uniformly on the ranges' scales, ignoring the
// results. The baseline every model-based strategy must beat.
#pragma once

#include <cstdint>
#include <random>

#include "archml/tune/strategy.h"

namespace archml::tune {

class RandomStrategy : public Strategy {
 public:
  RandomStrategy(const SearchSpace& space, std::uint64_t seed) : space_(space), random_(seed) {}
  std::optional<Configuration> suggest(const std::vector<Observation>& finished,
                                       const std::vector<Configuration>& running) override;

 private:
  const SearchSpace& space_;
  std::mt19937_64 random_;
};

}  // namespace archml::tune
