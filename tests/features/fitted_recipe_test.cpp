// Serialising a fitted recipe and the serving path (rows of text fields).
#include "archml/features/fitted_recipe.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

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

data::Table random_table(std::size_t rows, unsigned seed) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> uniform(-1000, 1000);
  std::vector<double> a, b;
  std::vector<std::int64_t> step;
  std::vector<std::string> kind;
  const char* kinds[] = {"x", "y", "z", "w"};
  for (std::size_t i = 0; i < rows; ++i) {
    a.push_back(i % 17 == 0 ? kNA : uniform(random) / 3);
    b.push_back(uniform(random) * 1e-3);
    step.push_back(static_cast<std::int64_t>(random() % 700));
    kind.push_back(i % 13 == 0 ? "" : kinds[random() % 4]);
  }
  return table({integers("step", step), numbers("a", a), numbers("b", b), texts("kind", kind),
                integers("label", std::vector<std::int64_t>(rows, 0))});
}

constexpr const char* kRecipe = R"(
steps:
  - one_hot: {columns: [kind], max_categories: 3}
  - derive: hour = step % 24
  - derive: mix = log1p(abs(a)) * b / (b - 0.1) + (a > 0)
  - impute: {columns: [a], strategy: median}
  - standardize: [a, b]
  - min_max: [mix, hour]
  - log1p: [step]
)";

TEST(FittedRecipe, JsonRoundTripGivesBitIdenticalFeatures) {
  data::Table train = random_table(30000, 1);
  data::Table test = random_table(20000, 2);
  FittedRecipe fitted = Recipe::parse(kRecipe).fit(train, "label");
  std::string text = fitted.to_json().dump();
  FittedRecipe loaded = FittedRecipe::from_json(nlohmann::json::parse(text));
  EXPECT_EQ(loaded.to_json().dump(), text);
  EXPECT_EQ(loaded.feature_names(), fitted.feature_names());
  EXPECT_EQ(loaded.input_schema(), fitted.input_schema());
  FeatureMatrix before = fitted.transform(test);
  FeatureMatrix after = loaded.transform(test);
  ASSERT_EQ(before.rows(), after.rows());
  ASSERT_EQ(before.cols(), after.cols());
  EXPECT_EQ(std::memcmp(before.data(), after.data(), before.rows() * before.cols() * sizeof(float)),
            0);
}

TEST(FittedRecipe, ResultsDoNotDependOnTheThreadCount) {
  data::Table train = random_table(40000, 3);
  FittedRecipe one = Recipe::parse(kRecipe).fit(train, "label", 1);
  FeatureMatrix one_matrix = one.transform(train, 1);
  FittedRecipe four = Recipe::parse(kRecipe).fit(train, "label", 4);
  FeatureMatrix four_matrix = four.transform(train, 4);
  EXPECT_EQ(one.to_json(), four.to_json());
  EXPECT_EQ(std::memcmp(one_matrix.data(), four_matrix.data(),
                        one_matrix.rows() * one_matrix.cols() * sizeof(float)),
            0);
}

// The training job scatters each range of rows into its part's matrix; every row it
// writes must be that row of the whole table's transform, and skipped rows untouched.
TEST(FittedRecipe, TransformIntoARangeWritesThoseRowsOfTheWholeTransform) {
  data::Table train = random_table(50000, 5);
  FittedRecipe fitted = Recipe::parse(kRecipe).fit(train, "label");
  const FeatureMatrix whole = fitted.transform(train);
  const std::size_t width = whole.cols();
  constexpr float kUntouched = -12345.0f;
  std::vector<float> scattered(train.row_count() * width, kUntouched);
  // Odd ranges (not multiples of the 8192-row block) and every third row skipped.
  for (std::size_t begin = 0; begin < train.row_count(); begin += 9999)
    fitted.transform_into(train, begin, std::min(train.row_count(), begin + 9999),
                          [&](std::size_t row) -> float* {
                            return row % 3 == 0 ? nullptr : scattered.data() + row * width;
                          });
  for (std::size_t row = 0; row < train.row_count(); ++row) {
    const float* got = scattered.data() + row * width;
    if (row % 3 == 0) {
      ASSERT_EQ(got[0], kUntouched) << "row " << row;
      continue;
    }
    ASSERT_EQ(std::memcmp(got, whole.row(row), width * sizeof(float)), 0) << "row " << row;
  }
}

TEST(FittedRecipe, NaNStatisticsSurviveJson) {
  data::Table train = table({numbers("v", {kNA, kNA})});
  FittedRecipe fitted = Recipe::parse("steps: [{min_max: [v]}]").fit(train, "");
  EXPECT_TRUE(std::isnan(fitted.steps()[0].columns[0].first));
  FittedRecipe loaded = FittedRecipe::from_json(nlohmann::json::parse(fitted.to_json().dump()));
  EXPECT_TRUE(std::isnan(loaded.steps()[0].columns[0].first));
}

TEST(FittedRecipe, RejectsDamagedJson) {
  data::Table train = random_table(100, 4);
  nlohmann::json json = Recipe::parse(kRecipe).fit(train, "label").to_json();
  nlohmann::json wrong_format = json;
  wrong_format["format"] = "something";
  EXPECT_THROW(FittedRecipe::from_json(wrong_format), Error);
  nlohmann::json edited = json;
  edited["features"][0] = "renamed";
  EXPECT_THROW(FittedRecipe::from_json(edited), Error);
  nlohmann::json broken = json;
  broken["steps"][1].erase("fitted");
  EXPECT_THROW(FittedRecipe::from_json(broken), Error);
}

TEST(FittedRecipe, TransformRowsMatchesTheTableTransform) {
  data::Table train = random_table(5000, 5);
  FittedRecipe fitted = Recipe::parse(kRecipe).fit(train, "label");
  EXPECT_EQ(fitted.input_schema().size(), 4u);  // step, a, b, kind; not the target
  // The fields in another order, with an extra column; values as a CSV writer prints them.
  std::vector<std::string> columns = {"kind", "extra", "b", "a", "step"};
  std::vector<std::vector<std::string>> text_rows;
  for (std::size_t r = 0; r < 50; ++r)
    text_rows.push_back({train.column("kind").text(r), "?", train.column("b").text(r),
                         train.column("a").text(r), train.column("step").text(r)});
  std::vector<std::vector<std::string_view>> rows;
  for (const auto& row : text_rows) rows.emplace_back(row.begin(), row.end());
  FeatureMatrix served = fitted.transform_rows(columns, rows);
  FeatureMatrix batch = fitted.transform(train);
  ASSERT_EQ(served.cols(), batch.cols());
  for (std::size_t r = 0; r < 50; ++r)
    for (std::size_t c = 0; c < batch.cols(); ++c) {
      float x = served.at(r, c), y = batch.at(r, c);
      EXPECT_TRUE(x == y || (std::isnan(x) && std::isnan(y))) << r << " " << batch.names()[c];
    }
}

TEST(FittedRecipe, TransformRowsErrors) {
  data::Table train = table({numbers("v", {1, 2}), texts("t", {"a", "b"})});
  FittedRecipe fitted =
      Recipe::parse("steps: [{one_hot: {columns: [t], unseen: error}}]").fit(train, "");
  auto error_of = [&](const std::vector<std::string>& columns,
                      const std::vector<std::vector<std::string_view>>& rows) -> std::string {
    try {
      fitted.transform_rows(columns, rows);
    } catch (const Error& error) {
      return error.what();
    }
    return "no error";
  };
  EXPECT_EQ(error_of({"v", "t"}, {{"1", "a"}, {"x1", "b"}}),
            "row 2, column 'v': cannot read 'x1' as a number");
  EXPECT_THAT(error_of({"v"}, {{"1"}}), HasSubstr("lack column(s) 't'"));
  EXPECT_THAT(error_of({"v", "t"}, {{"1"}}), HasSubstr("row 1 has 1 fields, expected 2"));
  EXPECT_THAT(error_of({"v", "t"}, {{"1", "a"}, {"2", "c"}}),
              HasSubstr("row 2, column 't': category 'c' was not seen"));
  FeatureMatrix matrix = fitted.transform_rows({"t", "v"}, {{"b", "NA"}, {"", " 3.5 "}});
  EXPECT_THAT(matrix.names(), ElementsAre("v", "t_a", "t_b"));
  EXPECT_TRUE(std::isnan(matrix.at(0, 0)));
  EXPECT_EQ(matrix.at(0, 2), 1);
  EXPECT_EQ(matrix.at(1, 0), 3.5f);
  EXPECT_EQ(matrix.at(1, 1) + matrix.at(1, 2), 0);
}

// The one rule for non-finite numbers (docs/csv.md): the transform refuses them, naming
// the row and the column, in a table (train, predict, evaluate) and in text rows (serve).
TEST(FittedRecipe, NonFiniteValuesAreRefusedNamingRowAndColumn) {
  const double inf = std::numeric_limits<double>::infinity();
  data::Table train = table({numbers("v", {1, 2, 3}), numbers("w", {1, 2, 3})});
  FittedRecipe fitted = Recipe::parse("steps: [{derive: ratio = v / (w - 2)}]").fit(train, "");
  auto error_of = [&](const data::Table& rows) -> std::string {
    try {
      fitted.transform(rows);
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
      return error.what();
    }
    return "no error";
  };
  for (double bad : {inf, -inf, 1e39, -5e38})
    EXPECT_THAT(error_of(table({numbers("v", {1, 2, 3}), numbers("w", {1, bad, 3})})),
                HasSubstr("row 2, column 'w': the value is not a finite number"))
        << bad;
  // Only rows the caller takes count: a split that leaves the row out is not refused.
  data::Table with_inf = table({numbers("v", {1, 2, 3}), numbers("w", {1, inf, 3})});
  std::vector<float> kept(2 * fitted.feature_names().size());
  fitted.transform_into(with_inf, 0, 3, [&](std::size_t row) -> float* {
    return row == 1 ? nullptr : kept.data() + (row / 2) * fitted.feature_names().size();
  });
  EXPECT_EQ(kept[fitted.feature_names().size()], 3.0f);
  // Missing stays missing; a recipe's own non-finite result (x / 0) is missing, not refused.
  FeatureMatrix matrix = fitted.transform(table({numbers("v", {kNA, 2}), numbers("w", {1, 2})}));
  EXPECT_TRUE(std::isnan(matrix.at(0, 0)));
  EXPECT_TRUE(std::isnan(matrix.at(1, 2)));
  EXPECT_EQ(matrix.at(1, 1), 2.0f);
  // Text rows (the serving path): the same rule, the value as written in the message.
  auto text_error_of = [&](std::string_view value) -> std::string {
    try {
      fitted.transform_rows({"v", "w"}, {{"1", "2"}, {"3", value}});
    } catch (const Error& error) {
      return error.what();
    }
    return "no error";
  };
  for (std::string_view bad : {"inf", "-inf", "Infinity", "1e400", "-1e400", "+1e39"})
    EXPECT_THAT(text_error_of(bad),
                HasSubstr("row 2, column 'w': '" + std::string(bad) + "' is not a finite number"));
  EXPECT_EQ(text_error_of("1e-400"), "no error");  // too small for a double: 0
}

}  // namespace
}  // namespace archml::features
