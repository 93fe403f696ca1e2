// A search strategy proposes the next configuration to try from what it has seen. It
// always minimises a loss (the tuner negates objectives that are maximised), and it is
// told which configurations are still running so parallel trials get distinct proposals.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "archml/tune/search_space.h"

namespace archml::tune {

struct Observation {
  Configuration configuration;
  double loss = 0;  // lower is better; NaN or infinite when the trial failed or had no value
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  // nullopt when the strategy has nothing left to propose (an exhausted grid).
  virtual std::optional<Configuration> suggest(const std::vector<Observation>& finished,
                                               const std::vector<Configuration>& running) = 0;
  // True once further proposals are unlikely to improve (completion criterion
  // "convergence_detection"); strategies without a model never say so.
  virtual bool converged() const { return false; }
};

enum class StrategyKind { kBayesian, kRandom, kGrid, kHyperband };

// "Bayesian", "Random", "Grid", "Hyperband"; throws invalid otherwise.
StrategyKind parse_strategy(std::string_view text);
std::string_view to_string(StrategyKind kind);

// Hyperband proposes random configurations; its brackets live in the scheduler
// (asha.h). `budget` is the tuning job's max_jobs, which sizes the initial design.
std::unique_ptr<Strategy> make_strategy(StrategyKind kind, const SearchSpace& space,
                                        std::uint64_t seed, std::size_t budget);

}  // namespace archml::tune
