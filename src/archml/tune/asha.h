// Hyperband as asynchronous successive halving (ASHA): each trial belongs to a bracket
// (trials take brackets in turn), and each bracket has rungs at min_steps · η^k steps
// (η = reduction_factor), bracket b starting at rung b. When a trial reaches a rung it
// continues only if its loss is among the best 1/η of the losses recorded at that rung
// before it (the first trial at a rung always continues). Decisions need no waiting for
// other trials, so parallel slots never idle; the last bracket never stops a trial.
#pragma once

#include <cstddef>
#include <map>
#include <vector>

#include "archml/tune/stopping_rule.h"

namespace archml::tune {

class AshaRule : public StoppingRule {
 public:
  // `max_steps` (0 = unknown) sets min_steps = max(1, max_steps / η³) and drops rungs at
  // or beyond it; `brackets` (>= 1) is how many bracket variants trials cycle through.
  AshaRule(std::size_t max_steps, std::size_t reduction_factor = 3, std::size_t brackets = 4);
  bool report(std::size_t trial, std::size_t step, double loss) override;

  std::size_t bracket_of(std::size_t trial) const { return (trial - 1) % brackets_; }
  std::vector<std::size_t> rungs(std::size_t bracket) const;

 private:
  std::size_t max_steps_;
  std::size_t eta_;
  std::size_t brackets_;
  std::size_t min_steps_;
  std::map<std::pair<std::size_t, std::size_t>, std::vector<double>> recorded_;  // bracket, rung
  std::map<std::size_t, std::size_t> next_rung_;  // trial -> index into its bracket's rungs
};

}  // namespace archml::tune
