#include <gtest/gtest.h>

#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "archml/core/error.h"
#include "archml/monitor/checks.h"
#include "archml/monitor/monitor_files.h"
#include "archml/monitor/quality.h"
#include "archml/monitor/statistics.h"

namespace archml::monitor {
namespace {

FeatureStatistics monitor_test_normal(const std::string& name, double shift, std::size_t n,
                                      unsigned seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> normal(10.0, 2.0);
  FeatureAccumulator accumulator(name);
  for (std::size_t i = 0; i < n; ++i) accumulator.add_number(normal(random) + shift, false);
  return std::move(accumulator).finish();
}

TEST(MonitorStatistics, InfersTypesAndCountsFromText) {
  FeatureAccumulator whole("a");
  for (const char* field : {"1", "2", "", "NA", "3"}) whole.add_text(field);
  const FeatureStatistics a = std::move(whole).finish();
  EXPECT_EQ(a.inferred_type, InferredType::kIntegral);
  EXPECT_EQ(a.num_present, 3u);
  EXPECT_EQ(a.num_missing, 2u);
  EXPECT_DOUBLE_EQ(a.mean, 2.0);
  EXPECT_DOUBLE_EQ(a.min, 1.0);
  EXPECT_DOUBLE_EQ(a.max, 3.0);

  FeatureAccumulator flags("f");
  for (const char* field : {"true", "False", "1"}) flags.add_text(field);
  const FeatureStatistics f = std::move(flags).finish();
  EXPECT_EQ(f.inferred_type, InferredType::kIntegral);
  EXPECT_DOUBLE_EQ(f.sum, 2.0);

  FeatureAccumulator mixed("b");
  for (const char* field : {"1.5", "2", "x", "x", "y"}) mixed.add_text(field);
  const FeatureStatistics b = std::move(mixed).finish();
  EXPECT_EQ(b.inferred_type, InferredType::kString);
  EXPECT_EQ(b.categories.front().first, "x");
  EXPECT_EQ(b.categories.front().second, 2u);
  EXPECT_EQ(b.distinct_count, 4u);
}

TEST(MonitorStatistics, MergedAccumulatorsEqualOne) {
  FeatureAccumulator one("x");
  FeatureAccumulator left("x");
  FeatureAccumulator right("x");
  for (int i = 0; i < 5000; ++i) {
    const double value = (i * 7919) % 1000 / 10.0;
    one.add_number(value, false);
    (i % 2 == 0 ? left : right).add_number(value, false);
  }
  left.merge(std::move(right));
  const FeatureStatistics a = std::move(one).finish();
  const FeatureStatistics b = std::move(left).finish();
  EXPECT_EQ(a.sketch, b.sketch);
  EXPECT_DOUBLE_EQ(a.sum, b.sum);
  EXPECT_EQ(a.sketch.size(), kSketchPoints);
}

TEST(MonitorChecks, CdfDistanceIsTheKolmogorovSmirnovStatistic) {
  EXPECT_DOUBLE_EQ(cdf_distance({1, 2, 3, 4}, {1, 2, 3, 4}), 0.0);
  EXPECT_DOUBLE_EQ(cdf_distance({1, 2}, {3, 4}), 1.0);
  EXPECT_DOUBLE_EQ(cdf_distance({1, 2, 3, 4}, {3, 4, 5, 6}), 0.5);
}

TEST(MonitorChecks, CriticalValueShrinksWithTheSample) {
  EXPECT_NEAR(drift_critical_value(1000, 1000000), 1.9495 * std::sqrt(1.0 / 1000 + 1e-6), 1e-3);
  EXPECT_GT(drift_critical_value(100, 100000), 0.1);
  EXPECT_LT(drift_critical_value(1000, 100000), 0.1);
}

TEST(MonitorChecks, HalfAStandardDeviationShiftIsDriftAndNoShiftIsNot) {
  DatasetStatistics baseline;
  baseline.item_count = 100000;
  baseline.features.push_back(monitor_test_normal("amount", 0, 100000, 1));
  const Constraints constraints = suggest_constraints(baseline);
  for (unsigned seed = 2; seed < 12; ++seed) {
    DatasetStatistics same;
    same.features.push_back(monitor_test_normal("amount", 0, 1000, seed));
    EXPECT_TRUE(check_constraints(constraints, baseline, same, {"amount"}).violations.empty());
    DatasetStatistics shifted;
    shifted.features.push_back(monitor_test_normal("amount", 1.0, 1000, seed));
    const auto violations =
        check_constraints(constraints, baseline, shifted, {"amount"}).violations;
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].constraint_check_type, "baseline_drift_check");
    EXPECT_EQ(violations[0].feature_name, "amount");
  }
}

TEST(MonitorChecks, TypeCompletenessDomainAndColumns) {
  DatasetStatistics baseline;
  FeatureAccumulator count("count");
  FeatureAccumulator kind("kind");
  for (int i = 0; i < 1000; ++i) {
    count.add_number(i % 10, true);
    kind.add_string(i % 2 == 0 ? "A" : "B");
  }
  baseline.features.push_back(std::move(count).finish());
  baseline.features.push_back(std::move(kind).finish());
  const Constraints constraints = suggest_constraints(baseline);
  ASSERT_EQ(constraints.features[1].domains.size(), 2u);

  DatasetStatistics live;
  FeatureAccumulator live_count("count");
  FeatureAccumulator live_kind("kind");
  for (int i = 0; i < 1000; ++i) {
    live_count.add_text(i % 10 == 0 ? "" : (i % 3 == 0 ? "2.5" : "4"));
    live_kind.add_string(i % 2 == 0 ? "A" : (i % 5 == 0 ? "C" : "B"));
  }
  live.features.push_back(std::move(live_count).finish(InferredType::kIntegral));
  live.features.push_back(std::move(live_kind).finish(InferredType::kString));
  const auto result = check_constraints(constraints, baseline, live, {"kind", "extra"});
  std::set<std::string> seen;
  for (const auto& v : result.violations)
    seen.insert(v.feature_name + ":" + v.constraint_check_type);
  EXPECT_TRUE(seen.count("count:missing_column_check"));  // no live row carried it
  EXPECT_TRUE(seen.count("extra:extra_column_check"));
  EXPECT_TRUE(seen.count("kind:categorical_values_check"));

  const auto carried = check_constraints(constraints, baseline, live, {"count", "kind"});
  seen.clear();
  for (const auto& v : carried.violations)
    seen.insert(v.feature_name + ":" + v.constraint_check_type);
  EXPECT_TRUE(seen.count("count:data_type_check"));
  EXPECT_TRUE(seen.count("count:completeness_check"));
}

TEST(MonitorFiles, StatisticsAndConstraintsRoundTripInSageMakerFields) {
  DatasetStatistics statistics;
  statistics.item_count = 3000;
  statistics.features.push_back(monitor_test_normal("amount", 0, 3000, 5));
  FeatureAccumulator kind("type");
  kind.add_string("CASH_OUT", 2000);
  kind.add_string("PAYMENT", 1000);
  statistics.features.push_back(std::move(kind).finish());
  const nlohmann::json json = statistics_json(statistics);
  EXPECT_TRUE(
      json["features"][0]["numerical_statistics"]["distribution"]["kll"].contains("sketch"));
  EXPECT_EQ(json["features"][1]["string_statistics"]["distribution"]["categorical"]["buckets"][0]
                ["value"],
            "CASH_OUT");
  const DatasetStatistics back = parse_statistics(nlohmann::json::parse(json.dump()), "s");
  EXPECT_EQ(back.features[0].sketch, statistics.features[0].sketch);
  EXPECT_EQ(back.features[1].categories, statistics.features[1].categories);

  Constraints constraints = suggest_constraints(statistics);
  constraints.config.comparison_threshold = 0.2;
  const nlohmann::json c = constraints_json(constraints);
  EXPECT_EQ(c["monitoring_config"]["distribution_constraints"]["comparison_threshold"], 0.2);
  EXPECT_EQ(c["features"][1]["string_constraints"]["domains"].size(), 2u);
  const Constraints read = parse_constraints(c, "c");
  EXPECT_DOUBLE_EQ(read.config.comparison_threshold, 0.2);
  EXPECT_EQ(read.features[1].domains, constraints.features[1].domains);
  EXPECT_THROW(parse_statistics(nlohmann::json::object(), "empty.json"), Error);
}

}  // namespace
}  // namespace archml::monitor

namespace archml::monitor {
namespace {

TEST(MonitorQuality, MetricsBelowTheBaselineByMoreThanTheToleranceAreViolations) {
  const std::vector<double> scores = {0.9, 0.8, 0.3, 0.2, 0.7, 0.1};
  const std::vector<std::uint8_t> labels = {1, 1, 0, 0, 0, 1};
  const QualityResult result =
      evaluate_quality(scores, labels, 0.5, {{"auc", 0.95}, {"recall", 0.6}}, 0.05);
  EXPECT_EQ(result.rows, 6u);
  EXPECT_NEAR(result.live.at("auc"), 6.0 / 9.0, 1e-12);
  EXPECT_NEAR(result.live.at("recall"), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(result.live.at("precision"), 2.0 / 3.0, 1e-12);
  ASSERT_EQ(result.violations.size(), 1u);  // auc; recall is above its baseline
  EXPECT_EQ(result.violations[0].feature_name, "auc");
  EXPECT_EQ(result.violations[0].constraint_check_type, "model_quality_check");
  EXPECT_THROW(evaluate_quality({0.1, 0.2}, {0, 0}, 0.5, {}, 0), Error);
}

}  // namespace
}  // namespace archml::monitor
