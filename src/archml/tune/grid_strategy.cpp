#include "archml/tune/grid_strategy.h"

#include <algorithm>

#include "archml/core/error.h"

namespace archml::tune {
namespace {

std::size_t choices(const ParameterRange& range) {
  if (range.kind == ParameterKind::kCategorical) return range.values.size();
  return static_cast<std::size_t>(range.max - range.min) + 1;
}

}  // namespace

GridStrategy::GridStrategy(const SearchSpace& space) : space_(space) {
  for (const auto& range : space.ranges()) {
    if (range.kind == ParameterKind::kContinuous)
      throw_invalid("strategy Grid: '" + range.name +
                    "' is a continuous range; Grid enumerates categorical and integer ranges "
                    "only (use Bayesian or Random, or list the values as categorical)");
    size_ *= choices(range);
    if (size_ > 1'000'000)
      throw_invalid("strategy Grid: more than a million combinations; narrow the ranges");
  }
}

Configuration GridStrategy::at(std::size_t index) const {
  // The last range varies fastest, like nested loops written in the config's order.
  Configuration c(space_.size());
  for (std::size_t i = space_.size(); i-- > 0;) {
    const auto& range = space_.ranges()[i];
    const std::size_t n = choices(range);
    const std::size_t choice = index % n;
    index /= n;
    c[i] = range.kind == ParameterKind::kCategorical
               ? static_cast<double>(choice)
               : space_.position_of(i, range.min + static_cast<double>(choice));
  }
  return c;
}

std::optional<Configuration> GridStrategy::suggest(const std::vector<Observation>& finished,
                                                   const std::vector<Configuration>& running) {
  auto seen = [&](const Configuration& c) {
    return std::any_of(finished.begin(), finished.end(),
                       [&](const Observation& o) { return space_.snap(o.configuration) == c; }) ||
           std::any_of(running.begin(), running.end(),
                       [&](const Configuration& r) { return space_.snap(r) == c; });
  };
  while (next_ < size_) {
    Configuration c = space_.snap(at(next_++));
    if (!seen(c)) return c;
  }
  return std::nullopt;
}

}  // namespace archml::tune
