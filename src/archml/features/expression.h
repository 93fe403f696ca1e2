// Arithmetic expressions of `derive` steps: a recursive-descent parser to an AST that is
// compiled to a postfix program evaluated a column block at a time (one tight loop per
// operator over contiguous doubles), because per-row tree walking is too slow for
// millions of rows.
//
// Language (docs/recipe.md): numbers (1, 2.5, .5, 1e-3), column names (identifiers, or
// `backquoted` for odd characters), + - * / %, unary minus, parentheses, comparisons
// < <= > >= == != (1.0 or 0.0), functions abs log1p log exp sqrt (one argument) and
// min max (two or more). A missing operand (NaN) makes the result missing; division or
// modulo by zero, a function outside its domain and an infinite result are missing too.
// `%` is floored like Python's: the result takes the sign of the divisor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace archml::features {

// A syntax error: what went wrong and the 0-based offset in the parsed text.
struct ExpressionSyntaxError {
  std::string message;
  std::size_t position = 0;
};

class Expression {
 public:
  // Parses `text`; throws archml::Error (invalid input) whose message is
  // "<context>: <problem> at column N" followed by the text and a caret under column N.
  static Expression parse(std::string_view text, std::string_view context = "expression");
  // Parses "name = expression" (the short form of a derive step).
  static Expression parse_assignment(std::string_view text, std::string* name,
                                     std::string_view context = "expression");

  // The text it was parsed from (the part after '=' for an assignment).
  const std::string& text() const { return text_; }
  // Column names read, each once, in order of first appearance.
  const std::vector<std::string>& columns() const { return columns_; }

  // Evaluates over `rows` rows: inputs[i] points at the values of columns()[i].
  // `out` may alias no input. Safe to call concurrently on one Expression.
  void evaluate(std::span<const double* const> inputs, std::size_t rows, double* out) const;

  enum class Op : std::uint8_t {
    kConstant,
    kColumn,
    kNegate,
    kAdd,
    kSubtract,
    kMultiply,
    kDivide,
    kModulo,
    kLess,
    kLessEqual,
    kGreater,
    kGreaterEqual,
    kEqual,
    kNotEqual,
    kAbs,
    kLog1p,
    kLog,
    kExp,
    kSqrt,
    kMin,
    kMax,
  };
  struct Instruction {
    Op op;
    std::uint32_t argument = 0;  // column index, or argument count of min/max
    double constant = 0;
  };

 private:
  friend class ExpressionParser;
  std::string text_;
  std::vector<std::string> columns_;
  std::vector<Instruction> program_;  // postfix
  std::size_t max_depth_ = 0;         // stack slots the program needs
};

}  // namespace archml::features
