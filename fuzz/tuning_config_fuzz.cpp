// Tuning job configs (YAML or JSON) through to a search space. Oracles: every range of
// the space gives finite values within its bounds at its ends and middle, and the values
// a snapped configuration prints (what a trial records) parse back, as warm starts read
// them.
//
// Input: the config text.
#include <cmath>

#include "archml/core/yaml_json.h"
#include "archml/tune/search_space.h"
#include "archml/tune/tuning_config.h"
#include "harness.h"

namespace archml::fuzz {

void tuning_config(std::string_view input) {
  const nlohmann::json document = core::parse_yaml_or_json(input, "fuzz");
  const tune::TuningConfig config = tune::parse_tuning_config(document, "/nonexistent");
  check(config.training.is_object() != config.command.is_object(),
        "not exactly one of training and command");
  const tune::SearchSpace space(config.ranges);
  tune::Configuration middle;
  for (std::size_t i = 0; i < space.size(); ++i) {
    const tune::ParameterRange& range = space.ranges()[i];
    if (range.kind == tune::ParameterKind::kCategorical) {
      middle.push_back(static_cast<double>(range.values.size() / 2));
      continue;
    }
    check(range.scaling != tune::Scaling::kAuto, "a scaling left Auto");
    for (const double position : {0.0, 0.5, 1.0}) {
      const double value = space.value_at(i, position);
      check(std::isfinite(value) && value >= range.min && value <= range.max, [&] {
        return range.name + ": position " + std::to_string(position) + " gives " +
               std::to_string(value) + " outside [" + std::to_string(range.min) + ", " +
               std::to_string(range.max) + "]";
      });
    }
    middle.push_back(0.5);
  }
  const tune::Configuration snapped = space.snap(middle);
  check(space.parse(space.values(snapped)).has_value(),
        "the values of a snapped configuration do not parse back");
}

}  // namespace archml::fuzz
