#include "archml/tune/search_space.h"

#include <cmath>
#include <set>

#include <gtest/gtest.h>

#include "archml/core/error.h"

namespace archml::tune {
namespace {

ParameterRange continuous(std::string name, double min, double max,
                          Scaling scaling = Scaling::kAuto) {
  return {std::move(name), ParameterKind::kContinuous, min, max, scaling, {}};
}

ParameterRange integer(std::string name, double min, double max, Scaling scaling = Scaling::kAuto) {
  return {std::move(name), ParameterKind::kInteger, min, max, scaling, {}};
}

ParameterRange categorical(std::string name, std::vector<std::string> values) {
  return {std::move(name), ParameterKind::kCategorical, 0, 0, Scaling::kAuto, std::move(values)};
}

TEST(SearchSpaceTest, LinearMapsPositionsEvenly) {
  SearchSpace space({continuous("x", -5, 15, Scaling::kLinear)});
  EXPECT_DOUBLE_EQ(space.value_at(0, 0.0), -5);
  EXPECT_DOUBLE_EQ(space.value_at(0, 0.25), 0);
  EXPECT_DOUBLE_EQ(space.value_at(0, 1.0), 15);
  EXPECT_DOUBLE_EQ(space.position_of(0, 10), 0.75);
}

TEST(SearchSpaceTest, LogarithmicMapsPositionsGeometrically) {
  SearchSpace space({continuous("eta", 0.001, 1, Scaling::kLogarithmic)});
  EXPECT_NEAR(space.value_at(0, 0.0), 0.001, 1e-15);
  EXPECT_NEAR(space.value_at(0, 1.0 / 3), 0.01, 1e-12);
  EXPECT_NEAR(space.value_at(0, 2.0 / 3), 0.1, 1e-12);
  EXPECT_NEAR(space.position_of(0, 0.1), 2.0 / 3, 1e-12);
}

TEST(SearchSpaceTest, EndPositionsGiveTheBoundsExactly) {
  // exp(log(0.5)) is not 0.5; the bounds must not go through the scale.
  SearchSpace space({continuous("eta", 0.01, 0.5, Scaling::kLogarithmic),
                     continuous("momentum", 0.1, 0.99, Scaling::kReverseLogarithmic),
                     integer("depth", 3, 10, Scaling::kLogarithmic)});
  for (std::size_t i = 0; i < space.ranges().size(); ++i) {
    EXPECT_EQ(space.value_at(i, 0.0), space.ranges()[i].min) << space.ranges()[i].name;
    EXPECT_EQ(space.value_at(i, 1.0), space.ranges()[i].max) << space.ranges()[i].name;
    EXPECT_EQ(space.value_at(i, -0.2), space.ranges()[i].min) << space.ranges()[i].name;
    EXPECT_EQ(space.value_at(i, 1.7), space.ranges()[i].max) << space.ranges()[i].name;
  }
  EXPECT_EQ(SearchSpace::format_value(space.value_at(0, 1.0), false), "0.5");
}

TEST(SearchSpaceTest, ReverseLogarithmicIsDenseNearOne) {
  // 1 - x is logarithmic: positions 0, 1/2, 1 give 1 - x = 1, 0.1, 0.01.
  SearchSpace space({continuous("momentum", 0, 0.99, Scaling::kReverseLogarithmic)});
  EXPECT_NEAR(space.value_at(0, 0.0), 0.0, 1e-12);
  EXPECT_NEAR(space.value_at(0, 0.5), 0.9, 1e-12);
  EXPECT_NEAR(space.value_at(0, 1.0), 0.99, 1e-12);
  EXPECT_NEAR(space.position_of(0, 0.9), 0.5, 1e-12);
}

TEST(SearchSpaceTest, AutoPicksLogarithmicForWideRangesOfPositiveValues) {
  SearchSpace space({continuous("a", 1e-4, 1), continuous("b", 0, 10), continuous("c", 1, 50),
                     integer("d", 1, 1000)});
  EXPECT_EQ(space.ranges()[0].scaling, Scaling::kLogarithmic);
  EXPECT_EQ(space.ranges()[1].scaling, Scaling::kLinear);
  EXPECT_EQ(space.ranges()[2].scaling, Scaling::kLinear);
  EXPECT_EQ(space.ranges()[3].scaling, Scaling::kLogarithmic);
}

TEST(SearchSpaceTest, IntegersOwnEqualSlicesIncludingTheEnds) {
  SearchSpace space({integer("depth", 1, 3, Scaling::kLinear)});
  EXPECT_EQ(space.value_at(0, 0.0), 1);
  EXPECT_EQ(space.value_at(0, 0.32), 1);
  EXPECT_EQ(space.value_at(0, 0.34), 2);
  EXPECT_EQ(space.value_at(0, 0.66), 2);
  EXPECT_EQ(space.value_at(0, 0.67), 3);
  EXPECT_EQ(space.value_at(0, 1.0), 3);
  Configuration snapped = space.snap({0.1});
  EXPECT_DOUBLE_EQ(snapped[0], space.position_of(0, 1));
  EXPECT_EQ(space.values(snapped)[0].second, "1");
}

TEST(SearchSpaceTest, LogarithmicIntegersStayIntegersInRange) {
  SearchSpace space({integer("leaves", 2, 512, Scaling::kLogarithmic)});
  std::mt19937_64 random(3);
  for (int i = 0; i < 200; ++i) {
    const double value = space.value_at(0, space.sample(random)[0]);
    EXPECT_EQ(value, std::round(value));
    EXPECT_GE(value, 2);
    EXPECT_LE(value, 512);
  }
}

TEST(SearchSpaceTest, CategoricalsAreOneHotFeatures) {
  SearchSpace space(
      {continuous("x", 0, 1), categorical("policy", {"depthwise", "lossguide", "x"})});
  EXPECT_EQ(space.feature_count(), 4u);
  EXPECT_EQ(space.features({0.25, 1}), (std::vector<double>{0.25, 0, 1, 0}));
  EXPECT_EQ(space.values({0.25, 2})[1].second, "x");
}

TEST(SearchSpaceTest, ValuesParseBackToTheSameConfiguration) {
  SearchSpace space({continuous("eta", 0.01, 0.5, Scaling::kLogarithmic), integer("depth", 3, 10),
                     categorical("policy", {"depthwise", "lossguide"})});
  std::mt19937_64 random(11);
  for (int i = 0; i < 50; ++i) {
    Configuration c = space.sample(random);
    auto parsed = space.parse(space.values(c));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(space.values(*parsed), space.values(c));
  }
  EXPECT_FALSE(space.parse({{"eta", "0.9"}, {"depth", "4"}, {"policy", "depthwise"}}));
  EXPECT_FALSE(space.parse({{"eta", "0.1"}, {"depth", "4"}, {"policy", "other"}}));
  EXPECT_FALSE(space.parse({{"eta", "0.1"}, {"depth", "4"}}));
}

TEST(SearchSpaceTest, SpaceFillingDesignCoversEveryStratum) {
  SearchSpace space({continuous("a", 0, 1), continuous("b", 0, 1)});
  std::mt19937_64 random(5);
  const auto design = space.space_filling(10, random);
  ASSERT_EQ(design.size(), 10u);
  for (std::size_t dimension = 0; dimension < 2; ++dimension) {
    std::set<int> strata;
    for (const auto& c : design) strata.insert(static_cast<int>(c[dimension] * 10));
    EXPECT_EQ(strata.size(), 10u);
  }
}

void expect_invalid(std::vector<ParameterRange> ranges, const std::string& fragment) {
  try {
    SearchSpace space(std::move(ranges));
    FAIL() << "expected an error mentioning " << fragment;
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
  }
}

TEST(SearchSpaceTest, RejectsInvalidRanges) {
  expect_invalid({continuous("eta", 0.3, 0.3)}, "empty");
  expect_invalid({continuous("eta", 0.5, 0.1)}, "min (0.5) must be less than max");
  expect_invalid({integer("depth", 8, 3)}, "depth");
  expect_invalid({continuous("eta", 0, 1, Scaling::kLogarithmic)},
                 "Logarithmic scaling needs min > 0");
  expect_invalid({continuous("m", 0, 1, Scaling::kReverseLogarithmic)}, "max < 1");
  expect_invalid({integer("depth", 1.5, 3)}, "whole-number");
  expect_invalid({categorical("policy", {})}, "needs values");
  expect_invalid({continuous("x", 0, 1), continuous("x", 0, 2)}, "listed twice");
  expect_invalid({}, "at least one range");
  EXPECT_THROW(parse_scaling("Log"), Error);
}

TEST(SearchSpaceTest, FormatsIntegersWithoutDecimalPointAndRoundTripsOthers) {
  EXPECT_EQ(SearchSpace::format_value(7, true), "7");
  EXPECT_EQ(SearchSpace::format_value(0.1, false), "0.1");
  const double third = 1.0 / 3;
  EXPECT_EQ(std::strtod(SearchSpace::format_value(third, false).c_str(), nullptr), third);
}

}  // namespace
}  // namespace archml::tune
