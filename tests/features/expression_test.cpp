#include "archml/features/expression.h"

#include <cmath>
#include <limits>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "archml/core/error.h"

namespace archml::features {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Evaluates `text` with columns a, b, c bound to the given values (as many rows as a).
std::vector<double> eval(const std::string& text, const std::vector<double>& a = {0},
                         const std::vector<double>& b = {0}, const std::vector<double>& c = {0}) {
  Expression expression = Expression::parse(text);
  std::vector<const double*> inputs;
  for (const auto& name : expression.columns()) {
    if (name == "a")
      inputs.push_back(a.data());
    else if (name == "b")
      inputs.push_back(b.data());
    else if (name == "c")
      inputs.push_back(c.data());
    else
      ADD_FAILURE() << "unexpected column " << name;
  }
  std::vector<double> out(a.size());
  expression.evaluate(inputs, a.size(), out.data());
  return out;
}

double eval1(const std::string& text) {
  return eval(text).at(0);
}

TEST(Expression, Precedence) {
  EXPECT_EQ(eval1("1 + 2 * 3"), 7);
  EXPECT_EQ(eval1("(1 + 2) * 3"), 9);
  EXPECT_EQ(eval1("10 - 4 - 3"), 3);  // left-associative
  EXPECT_EQ(eval1("64 / 4 / 2"), 8);
  EXPECT_EQ(eval1("2 * 7 % 4"), 2);  // (2*7) % 4
  EXPECT_EQ(eval1("-2 * 3"), -6);
  EXPECT_EQ(eval1("- -2"), 2);
  EXPECT_EQ(eval1("1 + 2 < 4"), 1);  // comparisons bind loosest
  EXPECT_EQ(eval1("2 * 3 >= 7"), 0);
  EXPECT_EQ(eval1("1.5e2 + .5"), 150.5);
  EXPECT_EQ(eval1("2E-1 * 10"), 2);
}

TEST(Expression, OperatorsOverColumns) {
  std::vector<double> a{1, 5, -7, 25, 24};
  std::vector<double> b{2, 5, 3, 4, 0};
  EXPECT_THAT(eval("a + b", a, b), ElementsAre(3, 10, -4, 29, 24));
  EXPECT_THAT(eval("a * 2 - b", a, b), ElementsAre(0, 5, -17, 46, 48));
  EXPECT_THAT(eval("a < b", a, b), ElementsAre(1, 0, 1, 0, 0));
  EXPECT_THAT(eval("a <= b", a, b), ElementsAre(1, 1, 1, 0, 0));
  EXPECT_THAT(eval("a == b", a, b), ElementsAre(0, 1, 0, 0, 0));
  EXPECT_THAT(eval("a != b", a, b), ElementsAre(1, 0, 1, 1, 1));
  EXPECT_THAT(eval("a > b", a, b), ElementsAre(0, 0, 0, 1, 1));
  EXPECT_THAT(eval("a >= b", a, b), ElementsAre(0, 1, 0, 1, 1));
  EXPECT_THAT(eval("a % 24", a), ElementsAre(1, 5, 17, 1, 0));  // floored: -7 % 24 == 17
  EXPECT_THAT(eval("a % -4", a), ElementsAre(-3, -3, -3, -3, 0));
  EXPECT_THAT(eval("abs(a)", a), ElementsAre(1, 5, 7, 25, 24));
  EXPECT_THAT(eval("min(a, b)", a, b), ElementsAre(1, 5, -7, 4, 0));
  EXPECT_THAT(eval("max(a, b, 3)", a, b), ElementsAre(3, 5, 3, 25, 24));
  EXPECT_THAT(eval("sqrt(a + 0) * 1", std::vector<double>{4, 9}), ElementsAre(2, 3));
  EXPECT_DOUBLE_EQ(eval("log1p(a)", std::vector<double>{1})[0], std::log1p(1.0));
  EXPECT_DOUBLE_EQ(eval("exp(log(a))", std::vector<double>{3})[0], 3);
}

TEST(Expression, MissingAndUndefinedResultsAreNaN) {
  std::vector<double> a{1, kNaN, 0, -1, -2};
  std::vector<double> b{0, 1, 0, 1, 1};
  auto quotient = eval("a / b", a, b);
  EXPECT_TRUE(std::isnan(quotient[0]));  // 1/0
  EXPECT_TRUE(std::isnan(quotient[1]));  // missing operand
  EXPECT_TRUE(std::isnan(quotient[2]));  // 0/0
  EXPECT_EQ(quotient[3], -1);
  EXPECT_TRUE(std::isnan(eval("a % b", a, b)[0]));
  EXPECT_TRUE(std::isnan(eval("a < b", a, b)[1]));  // comparisons keep missing missing
  EXPECT_TRUE(std::isnan(eval("log1p(a)", a)[3]));  // log1p(-1) = -inf
  EXPECT_TRUE(std::isnan(eval("sqrt(a)", a)[4]));
  EXPECT_TRUE(std::isnan(eval("log(a)", a)[2]));
  EXPECT_TRUE(std::isnan(eval1("exp(1000)")));  // overflow
  EXPECT_TRUE(std::isnan(eval1("1 / (1 / 0)")));
  EXPECT_TRUE(std::isnan(eval("max(a, b)", a, b)[1]));
}

TEST(Expression, ColumnsAndQuotedNames) {
  Expression expression = Expression::parse("`old balance` + a * `old balance` - b_2");
  EXPECT_THAT(expression.columns(), ElementsAre("old balance", "a", "b_2"));
  // A quoted name is a column even when it spells a function.
  EXPECT_THAT(Expression::parse("`abs` + 1").columns(), ElementsAre("abs"));
}

TEST(Expression, Assignment) {
  std::string name;
  Expression expression = Expression::parse_assignment("  hour =  step % 24 ", &name);
  EXPECT_EQ(name, "hour");
  EXPECT_EQ(expression.text(), "step % 24");
  Expression quoted = Expression::parse_assignment("`x y` = a", &name);
  EXPECT_EQ(name, "x y");
}

std::string error_of(const std::string& text) {
  try {
    std::string name;
    Expression::parse_assignment(text, &name, "derive step 3");
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    return error.what();
  }
  return "no error";
}

TEST(Expression, ErrorsShowThePosition) {
  EXPECT_EQ(error_of("x = amount +* 2"),
            "derive step 3 'x = amount +* 2': unexpected '*' at column 13\n"
            "    x = amount +* 2\n"
            "                ^");
  EXPECT_THAT(error_of("x = (a + 1"), HasSubstr("missing ')' for the '(' here at column 5"));
  EXPECT_THAT(error_of("x = a +"), HasSubstr("unexpected end of expression at column 8"));
  EXPECT_THAT(error_of("x = foo(a)"), HasSubstr("unknown function 'foo'"));
  EXPECT_THAT(error_of("x = abs(a, b)"), HasSubstr("'abs' takes 1 argument, got 2"));
  EXPECT_THAT(error_of("x = min(a)"), HasSubstr("'min' takes at least 2 arguments, got 1"));
  EXPECT_THAT(error_of("x = a $ b"), HasSubstr("unexpected character '$' at column 7"));
  EXPECT_THAT(error_of("x = 1e"), HasSubstr("unexpected 'e' at column 6"));
  EXPECT_THAT(error_of("x = 1..2"), HasSubstr("invalid number '1..2' at column 5"));
  EXPECT_THAT(error_of("x = `a"), HasSubstr("unterminated"));
  EXPECT_THAT(error_of("x = a = b"), HasSubstr("compare with '=='"));
  EXPECT_THAT(error_of("x = a < b < c"), HasSubstr("comparisons do not chain"));
  EXPECT_THAT(error_of("x = a b"), HasSubstr("unexpected 'b' at column 7"));
  EXPECT_THAT(error_of("x + 1"), HasSubstr("expected '=' after the column name at column 3"));
  EXPECT_THAT(error_of("x = "), HasSubstr("empty expression"));
  EXPECT_THROW(Expression::parse(""), Error);
}

TEST(Expression, ConstantsAreFolded) {
  std::vector<double> a{3, 6};
  EXPECT_THAT(eval("a * (1 / 3) + (2 - 2)", a), ElementsAre(1, 2));
  EXPECT_THAT(eval("2 + 3"), ElementsAre(5));
}

}  // namespace
}  // namespace archml::features
