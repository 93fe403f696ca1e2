#include "archml/tune/tuning_config.h"

#include <gtest/gtest.h>

#include "archml/core/error.h"

namespace archml::tune {
namespace {

using nlohmann::json;

json valid_config() {
  return json::parse(R"({
    "objective": {"metric": "validation:aucpr", "type": "Maximize"},
    "strategy": "Bayesian", "max_jobs": 20, "max_parallel_jobs": 2, "early_stopping": "Auto",
    "random_seed": 7,
    "completion_criteria": {"target_objective_value": 0.99, "best_objective_not_improving": 8,
                            "convergence_detection": true},
    "warm_start": {"parent_jobs": ["runs/tune-1", "/abs/tune-2"]},
    "parameter_ranges": {
      "continuous": [{"name": "eta", "min": 0.01, "max": 0.5, "scaling": "Logarithmic"}],
      "integer": [{"name": "max_depth", "min": 3, "max": 10}],
      "categorical": [{"name": "grow_policy", "values": ["depthwise", "lossguide"]}]},
    "training": {"data": "train.csv", "target": "isFraud"}
  })");
}

TEST(TuningConfigTest, ParsesEveryGenericKey) {
  TuningConfig config = parse_tuning_config(valid_config(), "/cfg");
  EXPECT_EQ(config.objective_metric, "validation:aucpr");
  EXPECT_EQ(config.options.direction, Direction::kMaximize);
  EXPECT_EQ(config.options.strategy, StrategyKind::kBayesian);
  EXPECT_EQ(config.options.max_jobs, 20u);
  EXPECT_EQ(config.options.max_parallel_jobs, 2u);
  EXPECT_EQ(config.options.early_stopping, EarlyStopping::kAuto);
  EXPECT_EQ(config.options.random_seed, 7u);
  EXPECT_EQ(*config.options.completion.target_objective_value, 0.99);
  EXPECT_EQ(config.options.completion.best_objective_not_improving, 8u);
  EXPECT_TRUE(config.options.completion.convergence_detection);
  ASSERT_EQ(config.parent_jobs.size(), 2u);
  EXPECT_EQ(config.parent_jobs[0], std::filesystem::path("/cfg/runs/tune-1"));
  EXPECT_EQ(config.parent_jobs[1], std::filesystem::path("/abs/tune-2"));
  ASSERT_EQ(config.ranges.size(), 3u);
  EXPECT_EQ(config.ranges[0].scaling, Scaling::kLogarithmic);
  EXPECT_EQ(config.ranges[1].kind, ParameterKind::kInteger);
  EXPECT_EQ(config.ranges[1].scaling, Scaling::kLinear);  // Auto resolved
  EXPECT_EQ(config.ranges[2].values.size(), 2u);
  EXPECT_TRUE(config.training.is_object());
  EXPECT_TRUE(config.command.is_null());
}

void expect_rejected(json config, const std::string& fragment) {
  try {
    parse_tuning_config(config, ".");
    FAIL() << "accepted a config that should fail with " << fragment;
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
  }
}

TEST(TuningConfigTest, RejectsInvalidConfigsWithClearMessages) {
  json c = valid_config();
  c["parameter_ranges"]["continuous"][0]["min"] = 0.5;
  expect_rejected(c, "the range is empty");
  c = valid_config();
  c["parameter_ranges"]["integer"][0]["min"] = 12;
  expect_rejected(c, "max_depth");
  c = valid_config();
  c["parameter_ranges"]["continuous"][0]["min"] = 0;
  expect_rejected(c, "Logarithmic scaling needs min > 0");
  c = valid_config();
  c["parameter_ranges"]["continuous"][0]["scaling"] = "Log";
  expect_rejected(c, "unknown scaling 'Log'");
  c = valid_config();
  c["strategy"] = "Genetic";
  expect_rejected(c, "unknown strategy 'Genetic'");
  c = valid_config();
  c["objective"]["type"] = "Max";
  expect_rejected(c, "use Maximize or Minimize");
  c = valid_config();
  c["max_jobs"] = 0;
  expect_rejected(c, "max_jobs must be a whole number >= 1");
  c = valid_config();
  c["max_job"] = 3;
  expect_rejected(c, "unknown key 'max_job'");
  c = valid_config();
  c["command"] = {{"run", "x"}};
  expect_rejected(c, "exactly one of 'training'");
  c = valid_config();
  c.erase("objective");
  expect_rejected(c, "'objective' is required");
  c = valid_config();
  c["strategy"] = "Hyperband";
  expect_rejected(c, "does not combine with strategy Hyperband");
  c = valid_config();
  c["parameter_ranges"]["continuous"][0].erase("max");
  expect_rejected(c, "needs 'min' and 'max'");
}

}  // namespace
}  // namespace archml::tune
