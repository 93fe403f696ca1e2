#include "archml/track/run_query.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "archml/core/error.h"

namespace archml::track {
namespace {

const char* const kFilterGrammar =
    "write KEY OP VALUE joined by 'and', e.g. \"eta>0.1 and validation:aucpr>=0.9\" "
    "(OP: > >= < <= = != ; KEY: a metric, a parameter, status, name, experiment or id)";

std::string trim(const std::string& text) {
  auto begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return {};
  auto end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

std::optional<double> as_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

// Splits on the word "and" (any case) surrounded by spaces, outside quotes.
std::vector<std::string> split_and(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (std::isspace(static_cast<unsigned char>(c)) && i + 3 < text.size() &&
               std::tolower(static_cast<unsigned char>(text[i + 1])) == 'a' &&
               std::tolower(static_cast<unsigned char>(text[i + 2])) == 'n' &&
               std::tolower(static_cast<unsigned char>(text[i + 3])) == 'd' &&
               (i + 4 == text.size() || std::isspace(static_cast<unsigned char>(text[i + 4])))) {
      // A trailing "and" leaves an empty condition, reported as malformed.
      parts.push_back(current);
      current.clear();
      i += 4;
      continue;
    }
    current += c;
  }
  parts.push_back(current);
  return parts;
}

Condition parse_condition(const std::string& text) {
  const std::string part = trim(text);
  const auto at = part.find_first_of("<>=!");
  if (at == std::string::npos || at == 0)
    throw_invalid("--filter '" + part + "': no comparison; " + kFilterGrammar);
  Condition condition;
  condition.key = trim(part.substr(0, at));
  std::string rest = part.substr(at);
  static const std::pair<const char*, Comparison> kOperators[] = {
      {">=", Comparison::kGreaterEqual}, {"<=", Comparison::kLessEqual},
      {"!=", Comparison::kNotEqual},     {"==", Comparison::kEqual},
      {">", Comparison::kGreater},       {"<", Comparison::kLess},
      {"=", Comparison::kEqual}};
  bool found = false;
  for (const auto& [symbol, comparison] : kOperators) {
    const std::string s = symbol;
    if (rest.compare(0, s.size(), s) == 0) {
      condition.comparison = comparison;
      rest = trim(rest.substr(s.size()));
      found = true;
      break;
    }
  }
  if (!found) throw_invalid("--filter '" + part + "': unknown comparison; " + kFilterGrammar);
  if (rest.size() >= 2 && (rest.front() == '\'' || rest.front() == '"') &&
      rest.back() == rest.front())
    rest = rest.substr(1, rest.size() - 2);
  else if (rest.empty() || rest.find_first_of("<>=!") != std::string::npos)
    throw_invalid("--filter '" + part + "': missing or malformed value; " + kFilterGrammar);
  condition.value = rest;
  return condition;
}

// <0, 0, >0 as strcmp; numbers compare numerically when both sides parse.
int compare_values(const std::string& left, const std::string& right) {
  auto a = as_number(left), b = as_number(right);
  if (a && b) return *a < *b ? -1 : (*a > *b ? 1 : 0);
  return left.compare(right);
}

}  // namespace

std::vector<Condition> parse_filter(const std::string& text) {
  std::vector<Condition> conditions;
  if (trim(text).empty()) return conditions;
  for (const auto& part : split_and(trim(text))) conditions.push_back(parse_condition(part));
  return conditions;
}

SortOrder parse_sort(const std::string& text) {
  SortOrder order;
  order.key = trim(text);
  for (const auto& [suffix, descending] : {std::pair{":desc", true}, std::pair{":asc", false}}) {
    const std::string s = suffix;
    if (order.key.size() >= s.size() &&
        order.key.compare(order.key.size() - s.size(), s.size(), s) == 0) {
      order.key.resize(order.key.size() - s.size());
      order.descending = descending;
    }
  }
  if (order.key.empty())
    throw_invalid(
        "--sort-by needs a key: a metric or parameter, optionally with :asc or :desc, "
        "e.g. validation:aucpr or eta:asc");
  return order;
}

std::optional<std::string> run_value(const RunDetails& run, const std::string& key) {
  if (auto metric = run.metrics.find(key); metric != run.metrics.end()) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", metric->second.last);
    return std::string(text);
  }
  if (auto parameter = run.parameters.find(key); parameter != run.parameters.end())
    return parameter->second;
  if (key == "status") {
    auto status = run.status();
    return status ? std::optional(to_string(*status)) : std::nullopt;
  }
  if (key == "name") return run.run.name;
  if (key == "experiment") return run.run.experiment;
  if (key == "id") return std::to_string(run.run.id);
  return std::nullopt;
}

bool matches(const RunDetails& run, const std::vector<Condition>& conditions) {
  for (const auto& condition : conditions) {
    auto value = run_value(run, condition.key);
    if (!value) return false;
    const int order = compare_values(*value, condition.value);
    bool ok = false;
    switch (condition.comparison) {
      case Comparison::kLess:
        ok = order < 0;
        break;
      case Comparison::kLessEqual:
        ok = order <= 0;
        break;
      case Comparison::kGreater:
        ok = order > 0;
        break;
      case Comparison::kGreaterEqual:
        ok = order >= 0;
        break;
      case Comparison::kEqual:
        ok = order == 0;
        break;
      case Comparison::kNotEqual:
        ok = order != 0;
        break;
    }
    if (!ok) return false;
  }
  return true;
}

void sort_runs(std::vector<RunDetails>& runs, const SortOrder& order) {
  std::stable_sort(runs.begin(), runs.end(), [&](const RunDetails& a, const RunDetails& b) {
    auto left = run_value(a, order.key), right = run_value(b, order.key);
    if (!left || !right) return left.has_value() && !right.has_value();
    const int c = compare_values(*left, *right);
    return order.descending ? c > 0 : c < 0;
  });
}

}  // namespace archml::track
