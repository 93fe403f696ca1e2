// Each step fitted on a training table and applied to other data with the training
// statistics.
#include <cmath>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "archml/core/error.h"
#include "archml/features/recipe.h"
#include "test_tables.h"

namespace archml::features {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace testing;

std::vector<float> column_of(const FeatureMatrix& matrix, std::string_view name) {
  std::ptrdiff_t col = matrix.find(name);
  EXPECT_GE(col, 0) << name;
  std::vector<float> values;
  for (std::size_t r = 0; r < matrix.rows(); ++r)
    values.push_back(matrix.at(r, static_cast<std::size_t>(col)));
  return values;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

data::Table train_table() {
  return table({integers("id", {1, 2, 3, 4}), numbers("x", {0, 10, kNA, 30}),
                texts("color", {"red", "blue", "red", ""}), integers("label", {0, 1, 0, 1})});
}

TEST(Steps, NoStepsKeepsNumbersAndRequiresTextToBeEncoded) {
  EXPECT_THAT(error_of([] { Recipe().fit(train_table(), "label"); }),
              HasSubstr("leaves text column(s) 'color' unencoded"));
  Recipe recipe = Recipe::parse("steps:\n  - drop: [color]\n");
  FittedRecipe fitted = recipe.fit(train_table(), "label");
  EXPECT_THAT(fitted.feature_names(), ElementsAre("id", "x"));  // the target is never a feature
  FeatureMatrix matrix = fitted.transform(train_table());
  EXPECT_EQ(matrix.rows(), 4u);
  EXPECT_THAT(column_of(matrix, "id"), ElementsAre(1, 2, 3, 4));
  EXPECT_TRUE(std::isnan(matrix.at(2, 1)));  // missing stays missing
}

TEST(Steps, DropAndInputSchema) {
  FittedRecipe fitted =
      Recipe::parse("steps: [{drop: [id, color, label]}]").fit(train_table(), "label");
  EXPECT_THAT(fitted.feature_names(), ElementsAre("x"));
  ASSERT_EQ(fitted.input_schema().size(), 1u);  // dropped columns are not needed to serve
  EXPECT_EQ(fitted.input_schema()[0].name, "x");
  // Transforming data without the dropped columns (or the target) works.
  FeatureMatrix matrix = fitted.transform(table({numbers("x", {5})}));
  EXPECT_EQ(matrix.at(0, 0), 5);
}

TEST(Steps, OneHotSortedCategoriesMissingAndUnseen) {
  FittedRecipe fitted =
      Recipe::parse("steps: [{drop: [id]}, {one_hot: [color]}]").fit(train_table(), "label");
  EXPECT_THAT(fitted.feature_names(), ElementsAre("x", "color_blue", "color_red"));
  data::Table other = table({numbers("x", {1, 2, 3}), texts("color", {"blue", "green", ""})});
  FeatureMatrix matrix = fitted.transform(other);
  EXPECT_THAT(column_of(matrix, "color_blue"), ElementsAre(1, 0, 0));
  EXPECT_THAT(column_of(matrix, "color_red"), ElementsAre(0, 0, 0));  // unseen, missing: all 0
}

TEST(Steps, OneHotUnseenError) {
  FittedRecipe fitted = Recipe::parse("steps: [{one_hot: {columns: [color], unseen: error}}]")
                            .fit(train_table(), "label");
  data::Table other = table(
      {integers("id", {1, 2, 3}), numbers("x", {1, 2, 3}), texts("color", {"red", "", "green"})});
  EXPECT_EQ(error_of([&] { fitted.transform(other); }),
            "recipe step 1 (one_hot): row 3, column 'color': category 'green' was not seen in "
            "training (known: blue, red); set unseen: ignore or other to accept new categories");
  // A dictionary entry no row uses is not an error.
  data::Table fine = table({integers("id", {1}), numbers("x", {1}), texts("color", {"red"})});
  fine.mutable_column(2).mutable_dictionary().append("green");
  EXPECT_NO_THROW(fitted.transform(fine));
}

TEST(Steps, OneHotOtherAndCap) {
  data::Table train = table({texts("city", {"a", "b", "a", "c", "a", "b", "d"})});
  FittedRecipe other = Recipe::parse("steps: [{one_hot: {unseen: other}}]").fit(train, "");
  EXPECT_THAT(other.feature_names(),
              ElementsAre("city_a", "city_b", "city_c", "city_d", "city_other"));
  FittedRecipe capped = Recipe::parse("steps: [{one_hot: {max_categories: 2}}]").fit(train, "");
  EXPECT_THAT(capped.feature_names(), ElementsAre("city_a", "city_b", "city_other"));
  FeatureMatrix matrix = capped.transform(table({texts("city", {"b", "c", "z", ""})}));
  EXPECT_THAT(column_of(matrix, "city_b"), ElementsAre(1, 0, 0, 0));
  EXPECT_THAT(column_of(matrix, "city_other"), ElementsAre(0, 1, 1, 0));  // infrequent, unseen
}

TEST(Steps, MinMaxUsesTrainingRange) {
  FittedRecipe fitted =
      Recipe::parse("steps: [{drop: [color, id]}, {min_max: [x]}]").fit(train_table(), "label");
  EXPECT_EQ(fitted.steps()[1].columns[0].first, 0);
  EXPECT_EQ(fitted.steps()[1].columns[0].second, 30);
  FeatureMatrix matrix = fitted.transform(table({numbers("x", {15, 60, -30, kNA})}));
  EXPECT_THAT(column_of(matrix, "x"), ElementsAre(0.5f, 2.0f, -1.0f, ::testing::IsNan()));
}

TEST(Steps, DefaultsSkipIndicatorsAndTheTarget) {
  FittedRecipe fitted =
      Recipe::parse("steps: [{one_hot: {}}, {min_max: {}}]").fit(train_table(), "label");
  // id and x scaled; color indicators and the target untouched.
  ASSERT_EQ(fitted.steps()[1].columns.size(), 2u);
  EXPECT_EQ(fitted.steps()[1].columns[0].name, "id");
  EXPECT_EQ(fitted.steps()[1].columns[1].name, "x");
  FeatureMatrix matrix = fitted.transform(train_table());
  EXPECT_THAT(column_of(matrix, "id"), ElementsAre(0, 1.0f / 3, 2.0f / 3, 1));
  EXPECT_THAT(column_of(matrix, "color_red"), ElementsAre(1, 0, 1, 0));
}

TEST(Steps, ConstantColumnScalesToZero) {
  data::Table train = table({numbers("c", {4, 4, 4})});
  FittedRecipe minmax = Recipe::parse("steps: [{min_max: [c]}]").fit(train, "");
  FittedRecipe standard = Recipe::parse("steps: [{standardize: [c]}]").fit(train, "");
  EXPECT_THAT(column_of(minmax.transform(train), "c"), ElementsAre(0, 0, 0));
  EXPECT_THAT(column_of(standard.transform(train), "c"), ElementsAre(0, 0, 0));
}

TEST(Steps, StandardizeUsesPopulationStd) {
  data::Table train = table({numbers("v", {2, 4, 4, 4, 5, 5, 7, 9, kNA})});
  FittedRecipe fitted = Recipe::parse("steps: [{standardize: [v]}]").fit(train, "");
  EXPECT_DOUBLE_EQ(fitted.steps()[0].columns[0].first, 5);
  EXPECT_DOUBLE_EQ(fitted.steps()[0].columns[0].second, 2);
  FeatureMatrix matrix = fitted.transform(table({numbers("v", {9, 1})}));
  EXPECT_THAT(column_of(matrix, "v"), ElementsAre(2, -2));
}

TEST(Steps, ImputeStrategies) {
  data::Table train = table({numbers("v", {1, kNA, 2, 10}), numbers("w", {kNA, kNA, kNA, kNA})});
  data::Table test = table({numbers("v", {kNA, 7}), numbers("w", {kNA, 3})});
  auto fit = [&](const std::string& body) {
    return Recipe::parse("steps: [{impute: " + body + "}]").fit(train, "");
  };
  FeatureMatrix mean = fit("{strategy: mean}").transform(test);
  EXPECT_THAT(column_of(mean, "v"), ElementsAre(13.0f / 3, 7));
  EXPECT_THAT(column_of(mean, "w"), ElementsAre(0, 3));  // no values in training: 0
  FeatureMatrix median = fit("{columns: [v], strategy: median}").transform(test);
  EXPECT_THAT(column_of(median, "v"), ElementsAre(2, 7));
  EXPECT_TRUE(std::isnan(median.at(0, 1)));  // w not imputed
  data::Table even = table({numbers("v", {1, 2, 3, 10})});
  EXPECT_EQ(Recipe::parse("steps: [{impute: {strategy: median}}]")
                .fit(even, "")
                .steps()[0]
                .columns[0]
                .first,
            2.5);
  FeatureMatrix constant = fit("{columns: [v, w], strategy: constant, value: -1}").transform(test);
  EXPECT_THAT(column_of(constant, "v"), ElementsAre(-1, 7));
  EXPECT_THAT(column_of(constant, "w"), ElementsAre(-1, 3));
}

TEST(Steps, Log1p) {
  data::Table train = table({numbers("v", {0, std::exp(1.0) - 1, -1, -5, kNA})});
  FeatureMatrix matrix = Recipe::parse("steps: [{log1p: [v]}]").fit(train, "").transform(train);
  EXPECT_THAT(column_of(matrix, "v"),
              ElementsAre(0, 1, ::testing::IsNan(), ::testing::IsNan(), ::testing::IsNan()));
}

TEST(Steps, DeriveFeedsLaterStepsAndCanReplaceAColumn) {
  data::Table train =
      table({integers("step", {1, 25, 47}), numbers("a", {1, 2, 3}), numbers("b", {10, 20, 30})});
  Recipe recipe = Recipe::parse(R"(
steps:
  - derive: hour = step % 24
  - derive: {name: a, expression: "a * 2"}
  - derive: total = a + b
  - min_max: [total]
)");
  FittedRecipe fitted = recipe.fit(train, "");
  EXPECT_THAT(fitted.feature_names(), ElementsAre("step", "a", "b", "hour", "total"));
  FeatureMatrix matrix = fitted.transform(train);
  EXPECT_THAT(column_of(matrix, "hour"), ElementsAre(1, 1, 23));
  EXPECT_THAT(column_of(matrix, "a"), ElementsAre(2, 4, 6));
  EXPECT_THAT(column_of(matrix, "total"), ElementsAre(0, 0.5, 1));  // 12, 24, 36
}

TEST(Steps, FitOnTrainOnly) {
  data::Table train = table({numbers("v", {0, 10}), texts("t", {"a", "b"})});
  data::Table test = table({numbers("v", {100, 5}), texts("t", {"c", "a"})});
  FittedRecipe fitted = Recipe::parse("steps: [{one_hot: [t]}, {standardize: [v]}]").fit(train, "");
  FeatureMatrix matrix = fitted.transform(test);
  EXPECT_THAT(matrix.names(), ElementsAre("v", "t_a", "t_b"));
  EXPECT_THAT(column_of(matrix, "v"), ElementsAre(19, 0));  // (x - 5) / 5 from training
  EXPECT_THAT(column_of(matrix, "t_a"), ElementsAre(0, 1));
}

TEST(Steps, ErrorsNameTheStepAndTheColumns) {
  data::Table train = train_table();
  EXPECT_EQ(error_of([&] {
              Recipe::parse("steps: [{drop: [color]}, {min_max: [xx]}]").fit(train, "label");
            }),
            "recipe step 2 (min_max): unknown column 'xx'; the columns at this step are: id, x");
  EXPECT_THAT(
      error_of([&] { Recipe::parse("steps: [{min_max: [color]}]").fit(train, "label"); }),
      HasSubstr("recipe step 1 (min_max): column 'color' holds text; one_hot or drop it first"));
  EXPECT_THAT(
      error_of([&] { Recipe::parse("steps: [{standardize: [label]}]").fit(train, "label"); }),
      HasSubstr("'label' is the target column"));
  EXPECT_THAT(
      error_of([&] {
        Recipe::parse("steps: [{drop: [color]}, {derive: y = label * 2}]").fit(train, "label");
      }),
      HasSubstr("recipe step 2 (derive y): 'label' is the target column"));
  EXPECT_THAT(
      error_of([&] { Recipe::parse("steps: [{derive: y = color * 2}]").fit(train, "label"); }),
      HasSubstr("column 'color' holds text; expressions read numeric columns"));
  EXPECT_THAT(error_of([&] { Recipe::parse("steps: [{one_hot: [x]}]").fit(train, "label"); }),
              HasSubstr("column 'x' holds numbers; one_hot encodes text columns"));
  EXPECT_THAT(
      error_of([&] { Recipe::parse("steps: [{drop: [color, color]}]").fit(train, "label"); }),
      HasSubstr("column 'color' is listed twice"));
  EXPECT_THAT(error_of([&] { Recipe::parse("steps: [{drop: [color]}]").fit(train, "nope"); }),
              HasSubstr("no target column 'nope'"));
  // Dropping the target is allowed and changes nothing.
  EXPECT_THAT(Recipe::parse("steps: [{drop: [color, label]}]").fit(train, "label").feature_names(),
              ElementsAre("id", "x"));
}

TEST(Steps, TransformChecksTheInput) {
  FittedRecipe fitted = Recipe::parse("steps: [{one_hot: [color]}]").fit(train_table(), "label");
  EXPECT_THAT(
      error_of([&] { fitted.transform(table({numbers("x", {1})})); }),
      HasSubstr("the data lacks columns id, color that the fitted recipe reads; it has: x"));
  EXPECT_THAT(
      error_of([&] {
        fitted.transform(table({texts("id", {"a"}), numbers("x", {1}), texts("color", {"red"})}));
      }),
      HasSubstr("column 'id' holds text, but the recipe was fitted on int64 values"));
  // Numbers of another numeric type are fine.
  FeatureMatrix matrix =
      fitted.transform(table({numbers("id", {7}), integers("x", {1}), texts("color", {"red"})}));
  EXPECT_THAT(column_of(matrix, "id"), ElementsAre(7));
}

TEST(Steps, NumbersInATextColumnAreMatchedAsText) {
  data::Table train = table({texts("zip", {"100", "200", "x"})});
  FittedRecipe fitted = Recipe::parse("steps: [{one_hot: [zip]}]").fit(train, "");
  FeatureMatrix matrix = fitted.transform(table({integers("zip", {200, 300})}));
  EXPECT_THAT(column_of(matrix, "zip_200"), ElementsAre(1, 0));
  EXPECT_THAT(column_of(matrix, "zip_100"), ElementsAre(0, 0));
}

TEST(Steps, ManyBlocksGiveTheSameStatisticsAsOne) {
  // More rows than one block, so statistics are merged across blocks and threads.
  std::vector<double> values;
  for (int i = 0; i < 50000; ++i) values.push_back(i % 2 == 0 ? i * 0.5 : kNA);
  data::Table train = table({numbers("v", values)});
  FittedRecipe fitted = Recipe::parse("steps: [{standardize: [v]}]").fit(train, "");
  double sum = 0, count = 0;
  for (double v : values)
    if (!std::isnan(v)) {
      sum += v;
      ++count;
    }
  double mean = sum / count, m2 = 0;
  for (double v : values)
    if (!std::isnan(v)) m2 += (v - mean) * (v - mean);
  EXPECT_NEAR(fitted.steps()[0].columns[0].first, mean, 1e-9);
  EXPECT_NEAR(fitted.steps()[0].columns[0].second, std::sqrt(m2 / count), 1e-9);
  FittedRecipe median = Recipe::parse("steps: [{impute: {strategy: median}}]").fit(train, "");
  EXPECT_EQ(median.steps()[0].columns[0].first, 12499.5);
  FeatureMatrix matrix = median.transform(train);
  EXPECT_EQ(matrix.at(49999, 0), 12499.5f);
  EXPECT_EQ(matrix.at(49998, 0), 24999.0f);
}

}  // namespace
}  // namespace archml::features
