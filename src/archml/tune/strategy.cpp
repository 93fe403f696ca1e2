#include "archml/tune/strategy.h"

#include "archml/core/error.h"
#include "archml/tune/bayesian_strategy.h"
#include "archml/tune/grid_strategy.h"
#include "archml/tune/random_strategy.h"

namespace archml::tune {

StrategyKind parse_strategy(std::string_view text) {
  if (text == "Bayesian") return StrategyKind::kBayesian;
  if (text == "Random") return StrategyKind::kRandom;
  if (text == "Grid") return StrategyKind::kGrid;
  if (text == "Hyperband") return StrategyKind::kHyperband;
  throw_invalid("unknown strategy '" + std::string(text) +
                "'; use Bayesian, Random, Grid or Hyperband");
}

std::string_view to_string(StrategyKind kind) {
  switch (kind) {
    case StrategyKind::kBayesian:
      return "Bayesian";
    case StrategyKind::kRandom:
      return "Random";
    case StrategyKind::kGrid:
      return "Grid";
    case StrategyKind::kHyperband:
      return "Hyperband";
  }
  return "?";
}

std::unique_ptr<Strategy> make_strategy(StrategyKind kind, const SearchSpace& space,
                                        std::uint64_t seed, std::size_t budget) {
  switch (kind) {
    case StrategyKind::kBayesian:
      return std::make_unique<BayesianStrategy>(space, seed, budget);
    case StrategyKind::kGrid:
      return std::make_unique<GridStrategy>(space);
    case StrategyKind::kRandom:
    case StrategyKind::kHyperband:
      break;
  }
  return std::make_unique<RandomStrategy>(space, seed);
}

}  // namespace archml::tune
