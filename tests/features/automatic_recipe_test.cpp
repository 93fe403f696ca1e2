#include "archml/features/automatic_recipe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_tables.h"

namespace archml::features {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace testing;

TEST(AutomaticRecipe, Rules) {
  std::vector<std::string> ids, few, some, none;
  std::vector<std::int64_t> row, customer, quantity;
  for (int i = 0; i < 2000; ++i) {
    ids.push_back("C" + std::to_string(i * 7919 % 100003));
    few.push_back(i % 3 == 0 ? "a" : "b");
    some.push_back("s" + std::to_string(i % 40));
    none.push_back("");
    row.push_back(i + 1);
    customer.push_back(i * 31 % 2003);
    quantity.push_back(i % 5);
  }
  data::Table data = table({texts("account", ids), texts("kind", few), texts("store", some),
                            texts("empty", none), integers("row", row),
                            integers("customer_id", customer), integers("quantity", quantity),
                            integers("paid", customer), integers("label", quantity)});
  Recipe recipe = automatic_recipe(data, "label");
  ASSERT_EQ(recipe.steps().size(), 3u);
  EXPECT_THAT(recipe.steps()[0].columns, ElementsAre("account", "empty", "row", "customer_id"));
  EXPECT_THAT(recipe.steps()[0].comment, HasSubstr("row counts rows"));
  EXPECT_THAT(recipe.steps()[1].columns, ElementsAre("kind"));
  EXPECT_THAT(recipe.steps()[2].columns, ElementsAre("store"));
  EXPECT_EQ(recipe.steps()[2].max_categories, 20u);
  FittedRecipe fitted = recipe.fit(data, "label");
  EXPECT_EQ(fitted.feature_names().size(),
            2u + 21u + 2u);  // kind x2, store 20+other, quantity, paid
}

}  // namespace
}  // namespace archml::features
