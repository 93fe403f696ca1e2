// The business view of a binary evaluation in plain sentences, shared by the HTML page and
// the terminal summary so both tell the same story: what the chosen cutoff catches and
// costs, and how that compares with the default 0.5 cutoff, a rules baseline and the
// hindsight optimum on the evaluated rows.
#pragma once

#include <string>
#include <vector>

#include "archml/eval/binary_evaluation.h"

namespace archml::eval {

struct BusinessWords {
  std::string positives = "positives";  // plural nouns for describe(), e.g. "frauds"
  std::string rows = "rows";            // e.g. "transactions"
  std::string cutoff_origin;            // e.g. "chosen on the validation split"; optional
  std::string baseline_name = "the rules baseline";  // e.g. "isFlaggedFraud"
};

struct BusinessView {
  std::string chosen;         // "At cutoff 0.37 (chosen on ...): Catches ..."
  std::string default_point;  // the same at 0.5
  std::string optimal;        // the hindsight optimum on these rows
  std::string baseline;       // empty without a baseline
  std::string comparison;     // costs per 1,000 rows side by side, with savings
};

BusinessView describe_business_view(const BinaryEvaluation& evaluation, const BusinessWords& words);

// "516.89": two decimals with thousands separators, the way costs are quoted.
std::string format_money(double amount);

}  // namespace archml::eval
