#include "archml/eval/business_view.h"

#include <cmath>
#include <cstdio>

#include "archml/report/format.h"

namespace archml::eval {
namespace {

std::string cutoff_text(double cutoff) {
  return report::format_number(cutoff, 4);
}

// "saves 12.34" or "costs 12.34 more", relative to the chosen cutoff.
std::string difference(double chosen, double other) {
  if (!std::isfinite(chosen) || !std::isfinite(other)) return "";
  double saving = other - chosen;
  if (std::abs(saving) < 0.005) return " (the same)";
  return saving > 0 ? " (the chosen cutoff saves " + format_money(saving) + ")"
                    : " (the chosen cutoff costs " + format_money(-saving) + " more)";
}

}  // namespace

std::string format_money(double amount) {
  if (!std::isfinite(amount)) return "n/a";
  const double cents = std::round(std::abs(amount) * 100.0);
  const auto whole = static_cast<std::int64_t>(cents / 100.0);
  const auto fraction = static_cast<int>(cents - static_cast<double>(whole) * 100.0);
  char decimals[8];
  std::snprintf(decimals, sizeof decimals, ".%02d", fraction);
  return (amount < 0 && cents > 0 ? "-" : "") + with_thousands_separators(whole) + decimals;
}

BusinessView describe_business_view(const BinaryEvaluation& evaluation,
                                    const BusinessWords& words) {
  const OperatingPointWords nouns{words.positives, words.rows};
  BusinessView view;
  view.chosen = "At cutoff " + cutoff_text(evaluation.cutoff) +
                (words.cutoff_origin.empty() ? "" : " (" + words.cutoff_origin + ")") + ": " +
                describe(evaluation.at_cutoff, nouns);
  view.default_point =
      "At the default cutoff 0.5: " + describe(evaluation.at_default_cutoff, nouns);
  view.optimal = "In hindsight the cheapest cutoff on these " + words.rows + " is " +
                 cutoff_text(evaluation.optimal.cutoff) + ": " +
                 describe(evaluation.at_optimal, nouns);
  const double chosen = evaluation.at_cutoff.cost_per_1000_rows;
  view.comparison = "Cost per 1,000 " + words.rows + ": " + format_money(chosen) + " at cutoff " +
                    cutoff_text(evaluation.cutoff) + ", against " +
                    format_money(evaluation.at_default_cutoff.cost_per_1000_rows) + " at 0.5" +
                    difference(chosen, evaluation.at_default_cutoff.cost_per_1000_rows);
  if (evaluation.baseline) {
    view.baseline =
        "The rules baseline " + words.baseline_name + ": " + describe(*evaluation.baseline, nouns);
    view.comparison += " and " + format_money(evaluation.baseline->cost_per_1000_rows) + " for " +
                       words.baseline_name +
                       difference(chosen, evaluation.baseline->cost_per_1000_rows);
  }
  view.comparison += "; the hindsight optimum " + cutoff_text(evaluation.optimal.cutoff) +
                     " would cost " + format_money(evaluation.at_optimal.cost_per_1000_rows) + ".";
  return view;
}

}  // namespace archml::eval
