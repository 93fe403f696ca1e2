// The shipped examples/paysim/recipe.yaml and the automatic recipe on PaySim-shaped data:
// a hand-written fixture (tests/features/paysim_rows.csv) and generated data everywhere,
// the real PaySim sample where it exists (tests/support/paysim_data.h). Expected values
// were computed independently (by hand, or in Python from the CSV text).
#include <fstream>
#include <set>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../support/paysim_data.h"
#include "archml/data/csv_reader.h"
#include "archml/features/automatic_recipe.h"
#include "archml/features/recipe.h"

namespace archml::features {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string source_path(const std::string& relative) {
  return std::string(ARCHML_SOURCE_DIR) + "/" + relative;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

data::Table read_quietly(const std::string& path) {
  data::CsvOptions options;
  options.progress_label = "";
  return data::read_csv(path, options);
}

Recipe workshop_recipe() {
  return Recipe::parse(read_text(source_path("examples/paysim/recipe.yaml")),
                       "examples/paysim/recipe.yaml");
}

// Every scaled column spans [0, 1] on the data it was fitted on.
void expect_unit_ranges(const FeatureMatrix& matrix) {
  for (std::size_t c = 0; c < matrix.cols(); ++c) {
    float low = 1, high = 0;
    for (std::size_t r = 0; r < matrix.rows(); ++r) {
      low = std::min(low, matrix.at(r, c));
      high = std::max(high, matrix.at(r, c));
    }
    EXPECT_EQ(low, 0) << matrix.names()[c];
    EXPECT_EQ(high, 1) << matrix.names()[c];
  }
}

TEST(PaysimRecipe, FirstRowOfTheFixtureByHand) {
  data::Table table = read_quietly(source_path("tests/features/paysim_rows.csv"));
  ASSERT_EQ(table.row_count(), 6u);
  FittedRecipe fitted = workshop_recipe().fit(table, "isFraud");
  EXPECT_THAT(
      fitted.feature_names(),
      ElementsAre("step", "type_CASH_IN", "type_CASH_OUT", "type_DEBIT", "type_PAYMENT",
                  "type_TRANSFER", "amount", "oldbalanceOrg", "newbalanceOrig", "oldbalanceDest",
                  "newbalanceDest", "errorBalanceOrig", "errorBalanceDest", "hour"));
  // Row 1: 1,PAYMENT,100.0,C101,1000.0,900.0,M201,0.0,0.0. Ranges over the six rows: step
  // 1..26, amount 10..5000, oldbalanceOrg 0..5000, newbalanceOrig 0..900, oldbalanceDest
  // 0..1000, newbalanceDest 0..5200, errorBalanceOrig (new + amount - old) 0..600,
  // errorBalanceDest (old + amount - new) 0..5000, hour (step % 24) 1..4.
  FeatureMatrix matrix = fitted.transform(table);
  const std::vector<double> expected = {
      0, 0, 0, 0, 1, 0, 90.0 / 4990, 0.2, 1, 0, 0, 0, 100.0 / 5000, 0};
  ASSERT_EQ(matrix.cols(), expected.size());
  for (std::size_t c = 0; c < expected.size(); ++c)
    EXPECT_NEAR(matrix.at(0, c), expected[c], 1e-7) << matrix.names()[c];
  // Row 4 (CASH_IN, hour 4) holds the top of errorBalanceOrig and of hour.
  EXPECT_EQ(matrix.at(3, 1), 1);
  EXPECT_NEAR(matrix.at(3, 11), 1, 1e-7);
  EXPECT_NEAR(matrix.at(3, 13), 1, 1e-7);
  expect_unit_ranges(matrix);
}

TEST(PaysimRecipe, FirstRowOfTheRealSampleByHand) {
  const std::string sample = archml::testing::paysim_sample_path();
  if (sample.empty()) GTEST_SKIP() << archml::testing::kPaysimSampleAbsent;
  Recipe recipe = workshop_recipe();
  data::Table table = read_quietly(sample);
  ASSERT_EQ(table.row_count(), 4999u);
  FittedRecipe fitted = recipe.fit(table, "isFraud");
  EXPECT_THAT(
      fitted.feature_names(),
      ElementsAre("step", "type_CASH_IN", "type_CASH_OUT", "type_DEBIT", "type_PAYMENT",
                  "type_TRANSFER", "amount", "oldbalanceOrg", "newbalanceOrig", "oldbalanceDest",
                  "newbalanceDest", "errorBalanceOrig", "errorBalanceDest", "hour"));
  std::vector<std::string> inputs;
  for (const auto& column : fitted.input_schema()) inputs.push_back(column.name);
  EXPECT_THAT(inputs, ElementsAre("step", "type", "amount", "oldbalanceOrg", "newbalanceOrig",
                                  "oldbalanceDest", "newbalanceDest"));

  // Row 1: 1,PAYMENT,9839.64,C1231006815,170136.0,160296.36,M1979787155,0.0,0.0,0,0.
  // Sample ranges: step 1..5, amount 6.42..1e7, oldbalanceOrg 0..12930418.44,
  // newbalanceOrig 0..13010502.78, oldbalanceDest 0..19516116.38, newbalanceDest
  // 0..19169204.93, errorBalanceOrig -0.0100000007..3776389.09, errorBalanceDest
  // -17889168.7..13191233.98, hour 1..5.
  FeatureMatrix matrix = fitted.transform(table);
  std::vector<double> expected = {
      0,
      0,
      0,
      0,
      1,
      0,
      (9839.64 - 6.42) / (10000000.0 - 6.42),
      170136.0 / 12930418.44,
      160296.36 / 13010502.78,
      0,
      0,
      (0.0 + 0.010000000707805157) / (3776389.09 + 0.010000000707805157),
      (9839.64 + 17889168.7) / (13191233.98 + 17889168.7),
      0};
  ASSERT_EQ(matrix.cols(), expected.size());
  for (std::size_t c = 0; c < expected.size(); ++c)
    EXPECT_NEAR(matrix.at(0, c), expected[c], 1e-7 + 1e-6 * std::abs(expected[c]))
        << matrix.names()[c];
  expect_unit_ranges(matrix);
}

// The number of distinct values of a column, counted from the CSV text.
std::size_t distinct_in_column(const std::string& path, std::size_t column) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // the header
  std::set<std::string> values;
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string field;
    for (std::size_t i = 0; i <= column; ++i) std::getline(fields, field, ',');
    values.insert(field);
  }
  return values.size();
}

// On PaySim data the automatic recipe drops the account IDs and one-hot encodes the type.
void expect_paysim_steps(const Recipe& recipe) {
  ASSERT_EQ(recipe.steps().size(), 2u);
  EXPECT_EQ(recipe.steps()[0].kind, StepKind::kDrop);
  EXPECT_THAT(recipe.steps()[0].columns, ElementsAre("nameOrig", "nameDest"));
  EXPECT_EQ(recipe.steps()[1].kind, StepKind::kOneHot);
  EXPECT_THAT(recipe.steps()[1].columns, ElementsAre("type"));
}

TEST(PaysimRecipe, AutomaticRecipeOnGeneratedData) {
  const std::string& path = archml::testing::generated_paysim_csv();
  data::Table table = read_quietly(path);
  Recipe recipe = automatic_recipe(table, "isFraud");
  expect_paysim_steps(recipe);
  EXPECT_THAT(
      recipe.to_yaml(),
      HasSubstr("# ID-like columns: nameOrig has " + std::to_string(distinct_in_column(path, 3)) +
                " distinct values in 20000 rows; nameDest has " +
                std::to_string(distinct_in_column(path, 6)) + " distinct values in 20000 rows"));
  EXPECT_EQ(Recipe::parse(recipe.to_yaml()), recipe);
}

TEST(PaysimRecipe, AutomaticRecipeOnTheRealSample) {
  const std::string sample = archml::testing::paysim_sample_path();
  if (sample.empty()) GTEST_SKIP() << archml::testing::kPaysimSampleAbsent;
  data::Table table = read_quietly(sample);
  Recipe recipe = automatic_recipe(table, "isFraud");
  expect_paysim_steps(recipe);
  std::string yaml = recipe.to_yaml();
  EXPECT_THAT(yaml, HasSubstr("# ID-like columns: nameOrig has 4999 distinct values in 4999 rows; "
                              "nameDest has 3006 distinct values in 4999 rows"));
  EXPECT_EQ(Recipe::parse(yaml), recipe);
  FittedRecipe fitted = recipe.fit(table, "isFraud");
  EXPECT_THAT(fitted.feature_names(),
              ElementsAre("step", "type_CASH_IN", "type_CASH_OUT", "type_DEBIT", "type_PAYMENT",
                          "type_TRANSFER", "amount", "oldbalanceOrg", "newbalanceOrig",
                          "oldbalanceDest", "newbalanceDest", "isFlaggedFraud"));
  FeatureMatrix matrix = fitted.transform(table);
  EXPECT_EQ(matrix.at(0, 0), 1);
  EXPECT_EQ(matrix.at(0, 4), 1);
  EXPECT_EQ(matrix.at(0, 6), 9839.64f);
}

}  // namespace
}  // namespace archml::features
