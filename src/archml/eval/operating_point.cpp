#include "archml/eval/operating_point.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace archml::eval {

namespace {

double ratio(std::int64_t numerator, std::int64_t denominator) {
  if (denominator == 0) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

std::string fixed(double value, int decimals) {
  if (std::isnan(value)) return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

// Money-like amounts: thousands separators and two decimals ("66,666.67").
std::string amount(double value) {
  if (!std::isfinite(value)) return "n/a";
  const double cents = std::round(std::abs(value) * 100.0);
  const auto whole = static_cast<std::int64_t>(cents / 100.0);
  const auto fraction = static_cast<int>(cents - static_cast<double>(whole) * 100.0);
  char decimals[8];
  std::snprintf(decimals, sizeof decimals, ".%02d", fraction);
  std::string text = value < 0 ? "-" : "";
  text += with_thousands_separators(whole);
  text += decimals;
  return text;
}

std::string counted(std::int64_t count, std::string_view singular, std::string_view plural) {
  return with_thousands_separators(count) + " " + std::string(count == 1 ? singular : plural);
}

}  // namespace

OperatingPoint operating_point(const ConfusionMatrix& confusion, const CostMatrix& costs) {
  OperatingPoint point;
  point.confusion = confusion;
  point.rows = confusion.rows();
  point.positives = confusion.positives();
  point.caught = confusion.tp;
  point.missed = confusion.fn;
  point.alerts = confusion.predicted_positives();
  point.false_alarms = confusion.fp;
  point.recall = ratio(confusion.tp, confusion.positives());
  point.precision = ratio(confusion.tp, confusion.predicted_positives());
  point.total_cost = total_cost(confusion, costs);
  point.cost_per_1000_rows = point.rows == 0
                                 ? std::numeric_limits<double>::quiet_NaN()
                                 : point.total_cost * 1000.0 / static_cast<double>(point.rows);
  return point;
}

std::string with_thousands_separators(std::int64_t value) {
  const std::string digits = std::to_string(value < 0 ? -value : value);
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  if (value < 0) text.insert(text.begin(), '-');
  return text;
}

std::string describe(const OperatingPoint& point, const OperatingPointWords& words) {
  return "Catches " + with_thousands_separators(point.caught) + " of " +
         with_thousands_separators(point.positives) + " " + std::string(words.positives) +
         (std::isnan(point.recall) ? "" : " (" + fixed(point.recall * 100.0, 1) + "%)") +
         ", misses " + with_thousands_separators(point.missed) + ", raises " +
         counted(point.alerts, "alert", "alerts") + " (" +
         counted(point.false_alarms, "false alarm", "false alarms") + ") and costs " +
         amount(point.cost_per_1000_rows) + " per 1,000 " + std::string(words.rows) + ".";
}

}  // namespace archml::eval
