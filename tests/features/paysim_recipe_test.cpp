// The shipped examples/paysim/recipe.yaml and the automatic recipe on the real PaySim
// sample. Expected values were computed independently (Python, from the CSV text).
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

data::Table sample() {
  data::CsvOptions options;
  options.progress_label = "";
  return data::read_csv(source_path("../shared/data/paysim-5k.csv"), options);
}

TEST(PaysimRecipe, FirstRowByHand) {
  Recipe recipe = Recipe::parse(read_text(source_path("examples/paysim/recipe.yaml")),
                                "examples/paysim/recipe.yaml");
  data::Table table = sample();
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
  // Every scaled column spans [0, 1] on the data it was fitted on.
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

TEST(PaysimRecipe, AutomaticRecipe) {
  data::Table table = sample();
  Recipe recipe = automatic_recipe(table, "isFraud");
  ASSERT_EQ(recipe.steps().size(), 2u);
  EXPECT_EQ(recipe.steps()[0].kind, StepKind::kDrop);
  EXPECT_THAT(recipe.steps()[0].columns, ElementsAre("nameOrig", "nameDest"));
  EXPECT_EQ(recipe.steps()[1].kind, StepKind::kOneHot);
  EXPECT_THAT(recipe.steps()[1].columns, ElementsAre("type"));
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
