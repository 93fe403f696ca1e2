// The recipe expression parser and evaluator (derive steps). Oracles: the text an
// expression keeps parses again to the same columns; evaluating a block of rows gives,
// bit for bit, what evaluating each row alone gives; and no result is infinite (an
// infinite result is missing, i.e. NaN).
//
// Input: byte 0 bit 0 = parse as an assignment ("name = expression"), bits 1-4 = rows
// evaluated (1-16); the rest is the text. Column k of row r holds kValues[(r + 3k) % n]:
// zeros of both signs, NaN, infinities, tiny and huge numbers.
#include <cmath>
#include <cstring>
#include <limits>

#include "archml/features/expression.h"
#include "harness.h"

namespace archml::fuzz {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kValues[] = {
    0.0,       -0.0,       1.0,   -1.0,   2.5,    -7.0, std::numeric_limits<double>::quiet_NaN(),
    kInfinity, -kInfinity, 1e308, -1e308, 5e-324, 0.1,  3.0,
    1e-300,    -0.5};
constexpr std::size_t kValueCount = sizeof(kValues) / sizeof(kValues[0]);

bool same_bits(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  return std::memcmp(&a, &b, sizeof(double)) == 0;
}

std::vector<double> evaluate(const features::Expression& expression,
                             const std::vector<std::vector<double>>& columns, std::size_t begin,
                             std::size_t rows) {
  std::vector<const double*> inputs;
  for (const auto& column : columns) inputs.push_back(column.data() + begin);
  std::vector<double> out(rows);
  expression.evaluate(inputs, rows, out.data());
  return out;
}

}  // namespace

void expression(std::string_view input) {
  if (input.empty()) return;
  const bool assignment = (input[0] & 1) != 0;
  const std::size_t rows = 1 + ((static_cast<unsigned char>(input[0]) >> 1) & 15);
  const std::string_view text = input.substr(1);

  std::string name;
  const features::Expression parsed = assignment
                                          ? features::Expression::parse_assignment(text, &name)
                                          : features::Expression::parse(text);
  const features::Expression again = features::Expression::parse(parsed.text());
  check(again.columns() == parsed.columns(), "the kept text parses to other columns");

  std::vector<std::vector<double>> columns(parsed.columns().size(), std::vector<double>(rows));
  for (std::size_t k = 0; k < columns.size(); ++k)
    for (std::size_t r = 0; r < rows; ++r) columns[k][r] = kValues[(r + 3 * k) % kValueCount];
  const std::vector<double> block = evaluate(parsed, columns, 0, rows);
  const std::vector<double> reparsed = evaluate(again, columns, 0, rows);
  for (std::size_t r = 0; r < rows; ++r) {
    check(!std::isinf(block[r]), [&] { return "an infinite result at row " + std::to_string(r); });
    check(same_bits(block[r], reparsed[r]), "the kept text evaluates otherwise");
    const double alone = evaluate(parsed, columns, r, 1)[0];
    check(same_bits(block[r], alone), [&] {
      return "row " + std::to_string(r) + " evaluates to " + std::to_string(block[r]) +
             " in a block and " + std::to_string(alone) + " alone";
    });
  }
}

}  // namespace archml::fuzz
