// An operating point in plain words: at a given cutoff (or for a rules baseline), how many
// positives are caught and missed, how many alerts are raised and how many of them are
// false, and what it costs per 1,000 rows, so runs on test sets of any size compare.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "archml/eval/confusion.h"
#include "archml/eval/cost.h"

namespace archml::eval {

struct OperatingPoint {
  ConfusionMatrix confusion;
  std::int64_t rows = 0;
  std::int64_t positives = 0;
  std::int64_t caught = 0;        // true positives
  std::int64_t missed = 0;        // false negatives
  std::int64_t alerts = 0;        // rows flagged: true + false positives
  std::int64_t false_alarms = 0;  // false positives
  double recall = 0;              // caught / positives; NaN without positives
  double precision = 0;           // caught / alerts; NaN without alerts
  double total_cost = 0;
  double cost_per_1000_rows = 0;  // NaN without rows
};

OperatingPoint operating_point(const ConfusionMatrix& confusion, const CostMatrix& costs);

// Nouns for the sentence, plural: e.g. {"frauds", "transactions"}.
struct OperatingPointWords {
  std::string_view positives = "positives";
  std::string_view rows = "rows";
};

// One sentence, e.g. "Catches 812 of 1,000 frauds (81.2%), misses 188, raises 2,345 alerts
// (1,533 false alarms) and costs 123.45 per 1,000 transactions." Callers prefix the
// context ("At cutoff 0.37: ", "The rules baseline: ").
std::string describe(const OperatingPoint& point, const OperatingPointWords& words = {});

// Whole numbers with thousands separators ("1,234,567"), for plain-words reports.
std::string with_thousands_separators(std::int64_t value);

}  // namespace archml::eval
