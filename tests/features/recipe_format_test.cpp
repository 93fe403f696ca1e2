// Reading and writing recipe text: YAML and JSON, short forms, and messages that name
// the step and field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "archml/core/error.h"
#include "archml/features/recipe.h"

namespace archml::features {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string recipe_error_of(const std::string& text) {
  try {
    Recipe::parse(text);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    return error.what();
  }
  return "no error";
}

constexpr const char* kYaml = R"(
# a comment
version: 1
steps:
  - drop: [a, "b c"]
  - one_hot: {columns: [t], unseen: other, max_categories: 5}
  - one_hot
  - min_max:
      columns: [x]
  - standardize: {}
  - impute: {columns: [x, y], strategy: constant, value: -1.5}
  - impute: {strategy: median}
  - log1p: x
  - derive: hour = step % 24
  - derive:
      name: ratio
      expression: a / (b + 1)
)";

TEST(RecipeFormat, ReadsEveryStepFromYaml) {
  Recipe recipe = Recipe::parse(kYaml);
  const auto& steps = recipe.steps();
  ASSERT_EQ(steps.size(), 10u);
  EXPECT_EQ(steps[0].kind, StepKind::kDrop);
  EXPECT_THAT(steps[0].columns, ElementsAre("a", "b c"));
  EXPECT_EQ(steps[1].unseen, UnseenPolicy::kOther);
  EXPECT_EQ(steps[1].max_categories, 5u);
  EXPECT_EQ(steps[2].kind, StepKind::kOneHot);
  EXPECT_TRUE(steps[2].columns.empty());
  EXPECT_EQ(steps[2].unseen, UnseenPolicy::kIgnore);
  EXPECT_THAT(steps[3].columns, ElementsAre("x"));
  EXPECT_EQ(steps[4].kind, StepKind::kStandardize);
  EXPECT_EQ(steps[5].strategy, ImputeStrategy::kConstant);
  EXPECT_EQ(steps[5].value, -1.5);
  EXPECT_EQ(steps[6].strategy, ImputeStrategy::kMedian);
  EXPECT_THAT(steps[7].columns, ElementsAre("x"));
  EXPECT_EQ(steps[8].name, "hour");
  EXPECT_EQ(steps[8].expression, "step % 24");
  EXPECT_EQ(steps[9].name, "ratio");
  EXPECT_EQ(steps[9].expression, "a / (b + 1)");
}

TEST(RecipeFormat, JsonAndYamlRoundTrip) {
  Recipe recipe = Recipe::parse(kYaml);
  Recipe from_json = Recipe::parse(recipe.to_json().dump(2));
  EXPECT_EQ(from_json, recipe);
  Recipe from_yaml = Recipe::parse(recipe.to_yaml());
  EXPECT_EQ(from_yaml, recipe) << recipe.to_yaml();
  // A bare list of steps is accepted too.
  EXPECT_EQ(Recipe::parse("[{\"drop\": [\"a\"]}]").steps().size(), 1u);
  EXPECT_EQ(Recipe::parse("- drop: [a]\n- log1p: [b]\n").steps().size(), 2u);
}

TEST(RecipeFormat, YamlQuotesWhatWouldBeMisread) {
  Step drop;
  drop.kind = StepKind::kDrop;
  drop.columns = {"true", "1", "a,b", "x: y", "#c", "ok", "-"};
  drop.comment = "two\nlines";
  Step derive;
  derive.kind = StepKind::kDerive;
  derive.name = "odd name";
  derive.expression = "`a: b` + 1";
  Recipe recipe({drop, derive});
  std::string yaml = recipe.to_yaml();
  EXPECT_THAT(yaml, HasSubstr("  # two\n  # lines\n"));
  Recipe back = Recipe::parse(yaml);
  EXPECT_EQ(back, recipe) << yaml;
}

// Control characters cannot stand in a plain YAML scalar: names holding them are written
// escaped and read back the same. (Found by fuzz/recipe_fuzz.cpp.)
TEST(RecipeFormat, ControlCharactersInNamesRoundTrip) {
  Step scale;
  scale.kind = StepKind::kMinMax;
  scale.columns = {"x",
                   std::string("ULLt300\x02\0"
                               "0000 z",
                               14),
                   "tab\there", "del\x7f"};
  Recipe recipe({scale});
  const std::string yaml = recipe.to_yaml();
  EXPECT_EQ(Recipe::parse(yaml), recipe) << yaml;
}

// Recipes are stored as JSON, which holds only UTF-8: other bytes are an error naming
// where they are, not a JSON library failure when the recipe is written. (Found by
// fuzz/recipe_fuzz.cpp.)
TEST(RecipeFormat, TextThatIsNotUtf8IsAnError) {
  EXPECT_EQ(recipe_error_of("steps:\n  - drop: [caf\xE9]\n"),
            "recipe: line 2, column 15: not UTF-8 text; save the file as UTF-8");
  EXPECT_THAT(recipe_error_of("[{\"drop\": [\"\xC0\xAF\"]}]"), HasSubstr("line 1, column 13"));
  EXPECT_THAT(Recipe::parse("steps:\n  - drop: [caf\xC3\xA9]\n").to_yaml(),
              HasSubstr("caf\xC3\xA9"));
  // yaml-cpp decodes the escape \_ (no-break space) to a lone byte 0xA0.
  EXPECT_THAT(recipe_error_of("steps:\n  - drop: [\"a\\_b\"]\n"),
              HasSubstr("a value that is not UTF-8 text"));
}

// A JSON number past the range of a double is a syntax error, not a JSON library failure.
TEST(RecipeFormat, AnOverflowingJsonNumberIsAnError) {
  EXPECT_THAT(recipe_error_of(R"({"version": 1e400, "steps": []})"), HasSubstr("not valid JSON"));
}

TEST(RecipeFormat, ErrorsNameStepAndField) {
  EXPECT_EQ(recipe_error_of("steps:\n  - drop: [a]\n  - scale: [b]\n"),
            "recipe step 2: unknown step 'scale'; the steps are drop, one_hot, min_max, "
            "standardize, impute, log1p, derive");
  EXPECT_EQ(recipe_error_of("steps: [{one_hot: {columns: [t], unseen: maybe}}]"),
            "recipe step 1 (one_hot): field 'unseen': expected one of ignore, error, other, got "
            "'maybe'");
  EXPECT_THAT(
      recipe_error_of("steps: [{one_hot: {max_categories: 0}}]"),
      HasSubstr("recipe step 1 (one_hot): field 'max_categories': expected a whole number >= 1"));
  EXPECT_THAT(recipe_error_of("steps: [{min_max: {colums: [a]}}]"),
              HasSubstr("recipe step 1 (min_max): unknown field 'colums'; the fields are columns"));
  EXPECT_THAT(recipe_error_of("steps: [{impute: {strategy: mode}}]"),
              HasSubstr("field 'strategy': expected one of mean, median, constant, got 'mode'"));
  EXPECT_THAT(recipe_error_of("steps: [{impute: {strategy: constant, value: abc}}]"),
              HasSubstr("field 'value': expected a number, got \"abc\""));
  EXPECT_THAT(recipe_error_of("steps: [{drop: {}}]"),
              HasSubstr("recipe step 1 (drop): field 'columns' is missing"));
  EXPECT_THAT(recipe_error_of("steps: [{log1p: [1]}]"), HasSubstr("expected column names, got 1"));
  EXPECT_THAT(recipe_error_of("steps: [{drop: [a], log1p: [b]}]"),
              HasSubstr("recipe step 1: expected one key"));
  EXPECT_THAT(recipe_error_of("steps:\n  - derive: x = amount +* 2\n"),
              HasSubstr("recipe step 1 (derive) 'x = amount +* 2': unexpected '*' at column 13"));
  EXPECT_THAT(recipe_error_of("steps: [{derive: {name: x}}]"),
              HasSubstr("field 'expression' is missing"));
  EXPECT_THAT(recipe_error_of("version: 2\nsteps: []"), HasSubstr("version 2 is not supported"));
  EXPECT_THAT(recipe_error_of("stepz: []"), HasSubstr("unknown top-level field 'stepz'"));
  EXPECT_THAT(recipe_error_of("steps: [\n  - drop"), HasSubstr("not valid YAML at line"));
  EXPECT_THAT(recipe_error_of("{\"steps\": [}"), HasSubstr("not valid JSON"));
  EXPECT_THAT(recipe_error_of("steps: {drop: [a]}"), HasSubstr("'steps' must be a list"));
}

TEST(RecipeFormat, SourceNamesTheFile) {
  try {
    Recipe::parse("steps: [{drop: {}}]", "my.yaml");
    FAIL();
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("my.yaml: recipe step 1 (drop)"));
  }
}

}  // namespace
}  // namespace archml::features
