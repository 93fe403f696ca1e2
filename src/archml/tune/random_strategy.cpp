#include "archml/tune/random_strategy.h"

namespace archml::tune {

std::optional<Configuration> RandomStrategy::suggest(const std::vector<Observation>&,
                                                     const std::vector<Configuration>&) {
  return space_.sample(random_);
}

}  // namespace archml::tune
