#include "archml/features/expression.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <memory>

#include "archml/core/error.h"
#include "archml/core/numbers.h"

namespace archml::features {
namespace {

using core::kNaN;

// Every intermediate value that is not finite becomes missing, so a division by zero or
// an overflow never reaches the model as an infinity (XGBoost rejects those).
inline double finite(double value) {
  return std::isfinite(value) ? value : kNaN;
}

inline double floored_mod(double a, double b) {
  double r = std::fmod(a, b);
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}

inline double compare(bool is_nan, bool result) {
  return is_nan ? kNaN : (result ? 1.0 : 0.0);
}

double apply_unary(Expression::Op op, double x) {
  using Op = Expression::Op;
  switch (op) {
    case Op::kNegate:
      return -x;
    case Op::kAbs:
      return std::fabs(x);
    case Op::kLog1p:
      return finite(std::log1p(x));
    case Op::kLog:
      return finite(std::log(x));
    case Op::kExp:
      return finite(std::exp(x));
    case Op::kSqrt:
      return finite(std::sqrt(x));
    default:
      return kNaN;
  }
}

double apply_binary(Expression::Op op, double a, double b) {
  using Op = Expression::Op;
  bool nan = std::isnan(a) || std::isnan(b);
  switch (op) {
    case Op::kAdd:
      return finite(a + b);
    case Op::kSubtract:
      return finite(a - b);
    case Op::kMultiply:
      return finite(a * b);
    case Op::kDivide:
      return finite(a / b);
    case Op::kModulo:
      return finite(floored_mod(a, b));
    case Op::kLess:
      return compare(nan, a < b);
    case Op::kLessEqual:
      return compare(nan, a <= b);
    case Op::kGreater:
      return compare(nan, a > b);
    case Op::kGreaterEqual:
      return compare(nan, a >= b);
    case Op::kEqual:
      return compare(nan, a == b);
    case Op::kNotEqual:
      return compare(nan, a != b);
    case Op::kMin:
      return nan ? kNaN : std::min(a, b);
    case Op::kMax:
      return nan ? kNaN : std::max(a, b);
    default:
      return kNaN;
  }
}

enum class TokenKind { kEnd, kNumber, kName, kSymbol };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // name, or the symbol
  double number = 0;
  std::size_t position = 0;
};

struct Node {
  Expression::Op op = Expression::Op::kConstant;
  double value = 0;
  std::uint32_t column = 0;
  std::vector<std::unique_ptr<Node>> args;
};

struct Function {
  std::string_view name;
  Expression::Op op;
  std::size_t min_args, max_args;
};

constexpr Function kFunctions[] = {
    {"abs", Expression::Op::kAbs, 1, 1},   {"log1p", Expression::Op::kLog1p, 1, 1},
    {"log", Expression::Op::kLog, 1, 1},   {"exp", Expression::Op::kExp, 1, 1},
    {"sqrt", Expression::Op::kSqrt, 1, 1}, {"min", Expression::Op::kMin, 2, 64},
    {"max", Expression::Op::kMax, 2, 64},
};

struct Comparison {
  std::string_view symbol;
  Expression::Op op;
};
constexpr Comparison kComparisons[] = {
    {"<", Expression::Op::kLess},    {"<=", Expression::Op::kLessEqual},
    {">", Expression::Op::kGreater}, {">=", Expression::Op::kGreaterEqual},
    {"==", Expression::Op::kEqual},  {"!=", Expression::Op::kNotEqual},
};

}  // namespace

class ExpressionParser {
 public:
  ExpressionParser(std::string_view text, std::size_t start) : text_(text), pos_(start) {
    advance();
  }

  // name '=' (the short form of derive); returns the offset just after '='.
  std::string parse_target() {
    if (token_.kind != TokenKind::kName) fail("expected a column name before '='");
    std::string name = token_.text;
    advance();
    if (token_.kind != TokenKind::kSymbol || token_.text != "=")
      fail("expected '=' after the column name");
    return name;
  }
  std::size_t token_position() const { return token_.position; }
  void advance_past_assign() { advance(); }

  Expression parse_all(std::size_t text_start) {
    if (token_.kind == TokenKind::kEnd) fail("empty expression");
    std::unique_ptr<Node> root = comparison();
    if (token_.kind != TokenKind::kEnd) fail_unexpected();
    Expression expression;
    std::string_view body = text_.substr(text_start);
    while (!body.empty() && std::isspace(static_cast<unsigned char>(body.front())))
      body.remove_prefix(1);
    while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back())))
      body.remove_suffix(1);
    expression.text_ = std::string(body);
    expression.columns_ = std::move(columns_);
    std::size_t depth = 0;
    compile(*root, expression.program_, depth, expression.max_depth_);
    return expression;
  }

  [[noreturn]] void fail(const std::string& message, std::size_t position) const {
    throw ExpressionSyntaxError{message, position};
  }
  [[noreturn]] void fail(const std::string& message) const { fail(message, token_.position); }

 private:
  [[noreturn]] void fail_unexpected() const {
    if (token_.kind == TokenKind::kEnd) fail("unexpected end of expression");
    std::string shown = token_.kind == TokenKind::kSymbol ? token_.text
                        : token_.kind == TokenKind::kName
                            ? token_.text
                            : std::string(text_.substr(token_.position, pos_ - token_.position));
    fail("unexpected '" + shown + "'");
  }

  void advance() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    token_ = Token{};
    token_.position = pos_;
    if (pos_ >= text_.size()) return;
    char c = text_[pos_];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      std::size_t end = pos_;
      while (end < text_.size() &&
             (std::isdigit(static_cast<unsigned char>(text_[end])) || text_[end] == '.'))
        ++end;
      if (end < text_.size() && (text_[end] == 'e' || text_[end] == 'E')) {
        std::size_t exp = end + 1;
        if (exp < text_.size() && (text_[exp] == '+' || text_[exp] == '-')) ++exp;
        if (exp < text_.size() && std::isdigit(static_cast<unsigned char>(text_[exp]))) {
          end = exp;
          while (end < text_.size() && std::isdigit(static_cast<unsigned char>(text_[end]))) ++end;
        }
      }
      const char* first = text_.data() + pos_;
      const char* last = text_.data() + end;
      auto result = std::from_chars(first, last, token_.number);
      if (result.ec != std::errc() || result.ptr != last)
        fail("invalid number '" + std::string(first, last) + "'", pos_);
      token_.kind = TokenKind::kNumber;
      pos_ = end;
      return;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t end = pos_;
      while (end < text_.size() &&
             (std::isalnum(static_cast<unsigned char>(text_[end])) || text_[end] == '_'))
        ++end;
      token_.kind = TokenKind::kName;
      token_.text = std::string(text_.substr(pos_, end - pos_));
      pos_ = end;
      return;
    }
    if (c == '`') {
      std::size_t close = text_.find('`', pos_ + 1);
      if (close == std::string_view::npos) fail("unterminated `quoted` column name", pos_);
      if (close == pos_ + 1) fail("empty `quoted` column name", pos_);
      token_.kind = TokenKind::kName;
      token_.text = std::string(text_.substr(pos_ + 1, close - pos_ - 1));
      pos_ = close + 1;
      return;
    }
    static constexpr std::string_view kTwo[] = {"<=", ">=", "==", "!="};
    for (std::string_view symbol : kTwo) {
      if (text_.substr(pos_, 2) == symbol) {
        token_.kind = TokenKind::kSymbol;
        token_.text = std::string(symbol);
        pos_ += 2;
        return;
      }
    }
    if (std::string_view("+-*/%()<>,=").find(c) != std::string_view::npos) {
      token_.kind = TokenKind::kSymbol;
      token_.text = std::string(1, c);
      ++pos_;
      return;
    }
    fail("unexpected character '" + std::string(1, c) + "'", pos_);
  }

  bool at_symbol(std::string_view symbol) const {
    return token_.kind == TokenKind::kSymbol && token_.text == symbol;
  }

  static std::unique_ptr<Node> make(Expression::Op op, std::unique_ptr<Node> a,
                                    std::unique_ptr<Node> b = nullptr) {
    auto node = std::make_unique<Node>();
    node->op = op;
    node->args.push_back(std::move(a));
    if (b) node->args.push_back(std::move(b));
    return node;
  }

  // Comparisons bind loosest and do not chain: `a < b < c` is almost always a mistake.
  std::unique_ptr<Node> comparison() {
    std::unique_ptr<Node> left = additive();
    for (const auto& candidate : kComparisons) {
      if (at_symbol(candidate.symbol)) {
        advance();
        std::unique_ptr<Node> right = additive();
        for (const auto& again : kComparisons)
          if (at_symbol(again.symbol))
            fail("comparisons do not chain; use parentheses, e.g. (a < b) == 1");
        return make(candidate.op, std::move(left), std::move(right));
      }
    }
    if (at_symbol("=")) fail("unexpected '='; compare with '=='");
    return left;
  }

  std::unique_ptr<Node> additive() {
    std::unique_ptr<Node> left = term();
    while (at_symbol("+") || at_symbol("-")) {
      Expression::Op op = at_symbol("+") ? Expression::Op::kAdd : Expression::Op::kSubtract;
      advance();
      left = make(op, std::move(left), term());
    }
    return left;
  }

  std::unique_ptr<Node> term() {
    std::unique_ptr<Node> left = unary();
    while (at_symbol("*") || at_symbol("/") || at_symbol("%")) {
      Expression::Op op = at_symbol("*")   ? Expression::Op::kMultiply
                          : at_symbol("/") ? Expression::Op::kDivide
                                           : Expression::Op::kModulo;
      advance();
      left = make(op, std::move(left), unary());
    }
    return left;
  }

  std::unique_ptr<Node> unary() {
    if (at_symbol("-")) {
      advance();
      return make(Expression::Op::kNegate, unary());
    }
    if (at_symbol("+")) {
      advance();
      return unary();
    }
    return primary();
  }

  std::unique_ptr<Node> primary() {
    if (token_.kind == TokenKind::kNumber) {
      auto node = std::make_unique<Node>();
      node->value = token_.number;
      advance();
      return node;
    }
    if (at_symbol("(")) {
      std::size_t open = token_.position;
      advance();
      std::unique_ptr<Node> inner = comparison();
      if (!at_symbol(")")) {
        if (token_.kind == TokenKind::kEnd) fail("missing ')' for the '(' here", open);
        fail_unexpected();
      }
      advance();
      return inner;
    }
    if (token_.kind == TokenKind::kName) {
      Token name = token_;
      bool quoted = text_[name.position] == '`';
      advance();
      if (!quoted && at_symbol("(")) return call(name);
      auto node = std::make_unique<Node>();
      node->op = Expression::Op::kColumn;
      auto found = std::find(columns_.begin(), columns_.end(), name.text);
      node->column = static_cast<std::uint32_t>(found - columns_.begin());
      if (found == columns_.end()) columns_.push_back(name.text);
      return node;
    }
    fail_unexpected();
  }

  std::unique_ptr<Node> call(const Token& name) {
    const Function* function = nullptr;
    for (const auto& candidate : kFunctions)
      if (candidate.name == name.text) function = &candidate;
    if (!function)
      fail("unknown function '" + name.text + "' (known: abs, log1p, log, exp, sqrt, min, max)",
           name.position);
    advance();  // '('
    auto node = std::make_unique<Node>();
    node->op = function->op;
    if (!at_symbol(")")) {
      node->args.push_back(comparison());
      while (at_symbol(",")) {
        advance();
        node->args.push_back(comparison());
      }
    }
    if (!at_symbol(")")) {
      if (token_.kind == TokenKind::kEnd) fail("missing ')' after the arguments of " + name.text);
      fail_unexpected();
    }
    advance();
    std::size_t count = node->args.size();
    if (count < function->min_args || count > function->max_args) {
      std::string expected = function->min_args == function->max_args
                                 ? std::to_string(function->min_args)
                                 : "at least " + std::to_string(function->min_args);
      fail("'" + name.text + "' takes " + expected + " argument" +
               (function->max_args == 1 ? "" : "s") + ", got " + std::to_string(count),
           name.position);
    }
    // min/max of n arguments become a left fold of binary min/max.
    if (count > 2) {
      std::unique_ptr<Node> folded = std::move(node->args[0]);
      for (std::size_t i = 1; i < count; ++i)
        folded = make(function->op, std::move(folded), std::move(node->args[i]));
      return folded;
    }
    return node;
  }

  // Emits postfix code; a subtree of constants is folded so `x * (1/3)` costs one multiply.
  static void compile(Node& node, std::vector<Expression::Instruction>& program, std::size_t& depth,
                      std::size_t& max_depth) {
    using Op = Expression::Op;
    bool all_constant = !node.args.empty();
    for (auto& arg : node.args) all_constant = all_constant && arg->op == Op::kConstant;
    if (all_constant) {
      node.value = node.args.size() == 1
                       ? apply_unary(node.op, node.args[0]->value)
                       : apply_binary(node.op, node.args[0]->value, node.args[1]->value);
      node.op = Op::kConstant;
      node.args.clear();
    }
    for (auto& arg : node.args) compile(*arg, program, depth, max_depth);
    Expression::Instruction instruction{node.op, node.column, node.value};
    if (node.op == Op::kConstant || node.op == Op::kColumn) {
      ++depth;
    } else if (node.args.size() == 2) {
      --depth;
    }
    max_depth = std::max(max_depth, depth);
    program.push_back(instruction);
  }

  std::string_view text_;
  std::size_t pos_;
  Token token_;
  std::vector<std::string> columns_;
};

namespace {

[[noreturn]] void rethrow(const ExpressionSyntaxError& error, std::string_view text,
                          std::string_view context) {
  std::string message = std::string(context) + " '" + std::string(text) + "': " + error.message +
                        " at column " + std::to_string(error.position + 1) + "\n    " +
                        std::string(text) + "\n    " + std::string(error.position, ' ') + "^";
  throw_invalid(message);
}

}  // namespace

Expression Expression::parse(std::string_view text, std::string_view context) {
  try {
    ExpressionParser parser(text, 0);
    return parser.parse_all(0);
  } catch (const ExpressionSyntaxError& error) {
    rethrow(error, text, context);
  }
}

Expression Expression::parse_assignment(std::string_view text, std::string* name,
                                        std::string_view context) {
  try {
    ExpressionParser parser(text, 0);
    *name = parser.parse_target();
    std::size_t body = parser.token_position() + 1;
    parser.advance_past_assign();
    return parser.parse_all(body);
  } catch (const ExpressionSyntaxError& error) {
    rethrow(error, text, context);
  }
}

namespace {

// A stack entry: a column, a scratch buffer, or a constant broadcast over all rows.
struct Operand {
  const double* values = nullptr;
  double constant = 0;
  bool is_constant = false;
};

template <class F>
void unary_loop(const Operand& a, double* out, std::size_t rows, F f) {
  if (a.is_constant) {
    std::fill(out, out + rows, f(a.constant));
    return;
  }
  for (std::size_t i = 0; i < rows; ++i) out[i] = f(a.values[i]);
}

template <class F>
void binary_loop(const Operand& a, const Operand& b, double* out, std::size_t rows, F f) {
  if (a.is_constant && b.is_constant) {
    std::fill(out, out + rows, f(a.constant, b.constant));
  } else if (a.is_constant) {
    for (std::size_t i = 0; i < rows; ++i) out[i] = f(a.constant, b.values[i]);
  } else if (b.is_constant) {
    for (std::size_t i = 0; i < rows; ++i) out[i] = f(a.values[i], b.constant);
  } else {
    for (std::size_t i = 0; i < rows; ++i) out[i] = f(a.values[i], b.values[i]);
  }
}

inline bool either_nan(double a, double b) {
  return std::isnan(a) || std::isnan(b);
}

void run_binary(Expression::Op op, const Operand& a, const Operand& b, double* out,
                std::size_t rows) {
  using Op = Expression::Op;
  switch (op) {
    case Op::kAdd:
      return binary_loop(a, b, out, rows, [](double x, double y) { return finite(x + y); });
    case Op::kSubtract:
      return binary_loop(a, b, out, rows, [](double x, double y) { return finite(x - y); });
    case Op::kMultiply:
      return binary_loop(a, b, out, rows, [](double x, double y) { return finite(x * y); });
    case Op::kDivide:
      return binary_loop(a, b, out, rows, [](double x, double y) { return finite(x / y); });
    case Op::kModulo:
      return binary_loop(a, b, out, rows,
                         [](double x, double y) { return finite(floored_mod(x, y)); });
    case Op::kLess:
      return binary_loop(a, b, out, rows,
                         [](double x, double y) { return compare(either_nan(x, y), x < y); });
    case Op::kLessEqual:
      return binary_loop(a, b, out, rows,
                         [](double x, double y) { return compare(either_nan(x, y), x <= y); });
    case Op::kGreater:
      return binary_loop(a, b, out, rows,
                         [](double x, double y) { return compare(either_nan(x, y), x > y); });
    case Op::kGreaterEqual:
      return binary_loop(a, b, out, rows,
                         [](double x, double y) { return compare(either_nan(x, y), x >= y); });
    case Op::kEqual:
      return binary_loop(a, b, out, rows,
                         [](double x, double y) { return compare(either_nan(x, y), x == y); });
    case Op::kNotEqual:
      return binary_loop(a, b, out, rows,
                         [](double x, double y) { return compare(either_nan(x, y), x != y); });
    case Op::kMin:
      return binary_loop(a, b, out, rows, [](double x, double y) {
        return either_nan(x, y) ? kNaN : std::min(x, y);
      });
    case Op::kMax:
      return binary_loop(a, b, out, rows, [](double x, double y) {
        return either_nan(x, y) ? kNaN : std::max(x, y);
      });
    default:
      break;
  }
}

void run_unary(Expression::Op op, const Operand& a, double* out, std::size_t rows) {
  using Op = Expression::Op;
  switch (op) {
    case Op::kNegate:
      return unary_loop(a, out, rows, [](double x) { return -x; });
    case Op::kAbs:
      return unary_loop(a, out, rows, [](double x) { return std::fabs(x); });
    case Op::kLog1p:
      return unary_loop(a, out, rows, [](double x) { return finite(std::log1p(x)); });
    case Op::kLog:
      return unary_loop(a, out, rows, [](double x) { return finite(std::log(x)); });
    case Op::kExp:
      return unary_loop(a, out, rows, [](double x) { return finite(std::exp(x)); });
    case Op::kSqrt:
      return unary_loop(a, out, rows, [](double x) { return finite(std::sqrt(x)); });
    default:
      break;
  }
}

}  // namespace

void Expression::evaluate(std::span<const double* const> inputs, std::size_t rows,
                          double* out) const {
  // Stack slot k owns scratch buffer k; an operator writes its result into the buffer of
  // its leftmost operand's slot, which it reads element by element at the same index.
  std::vector<double> scratch(max_depth_ * rows);
  std::vector<Operand> stack;
  stack.reserve(max_depth_);
  for (const Instruction& instruction : program_) {
    switch (instruction.op) {
      case Op::kConstant:
        stack.push_back(Operand{nullptr, instruction.constant, true});
        break;
      case Op::kColumn:
        stack.push_back(Operand{inputs[instruction.argument], 0, false});
        break;
      case Op::kNegate:
      case Op::kAbs:
      case Op::kLog1p:
      case Op::kLog:
      case Op::kExp:
      case Op::kSqrt: {
        double* target = scratch.data() + (stack.size() - 1) * rows;
        run_unary(instruction.op, stack.back(), target, rows);
        stack.back() = Operand{target, 0, false};
        break;
      }
      default: {
        Operand right = stack.back();
        stack.pop_back();
        double* target = scratch.data() + (stack.size() - 1) * rows;
        run_binary(instruction.op, stack.back(), right, target, rows);
        stack.back() = Operand{target, 0, false};
        break;
      }
    }
  }
  const Operand& result = stack.back();
  if (result.is_constant) {
    std::fill(out, out + rows, finite(result.constant));
  } else {
    for (std::size_t i = 0; i < rows; ++i) out[i] = finite(result.values[i]);
  }
}

}  // namespace archml::features
