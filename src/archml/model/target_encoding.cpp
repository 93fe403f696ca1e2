#include "archml/model/target_encoding.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "archml/core/error.h"

namespace archml::model {
namespace {

TargetKind parse_kind(const std::string& name) {
  if (name == "binary") return TargetKind::kBinary;
  if (name == "multiclass") return TargetKind::kMulticlass;
  if (name == "regression") return TargetKind::kContinuous;
  throw_invalid("unknown target kind '" + name + "' (expected binary, multiclass, regression)");
}

std::string join(const std::vector<std::string>& values, std::size_t limit = 10) {
  std::string text;
  for (std::size_t i = 0; i < values.size() && i < limit; ++i) text += (i ? ", " : "") + values[i];
  if (values.size() > limit) text += ", ...";
  return text;
}

// Two text classes: the rarer one is what a classifier is usually asked to find (fraud,
// churn, default), so it becomes label 1 unless the user names another.
TargetEncoding encode_two(const data::Column& column, std::vector<std::string> names,
                          std::vector<std::size_t> counts,
                          const std::optional<std::string>& positive_class) {
  TargetEncoding encoding;
  encoding.column = column.name();
  encoding.kind = TargetKind::kBinary;
  encoding.by_class_name = true;
  std::size_t positive = counts[1] <= counts[0] ? 1 : 0;
  if (counts[0] == counts[1]) positive = 1;  // names are sorted: the later one, stably
  if (positive_class) {
    auto found = std::find(names.begin(), names.end(), *positive_class);
    if (found == names.end())
      throw_invalid("--positive-class '" + *positive_class + "' is not a value of target '" +
                    column.name() + "' (its values: " + join(names) + ")");
    positive = static_cast<std::size_t>(found - names.begin());
  }
  encoding.classes = {names[1 - positive], names[positive]};
  return encoding;
}

}  // namespace

std::string to_string(TargetKind kind) {
  switch (kind) {
    case TargetKind::kBinary:
      return "binary";
    case TargetKind::kMulticlass:
      return "multiclass";
    case TargetKind::kContinuous:
      return "regression";
  }
  return "?";
}

std::string TargetEncoding::positive_class() const {
  return kind == TargetKind::kBinary && classes.size() == 2 ? classes[1] : std::string();
}

nlohmann::json TargetEncoding::to_json() const {
  return {{"column", column},
          {"kind", to_string(kind)},
          {"classes", classes},
          {"positive_class", positive_class()},
          {"mapping", by_class_name ? "classes" : "identity"}};
}

TargetEncoding TargetEncoding::from_json(const nlohmann::json& json) {
  try {
    TargetEncoding encoding;
    encoding.column = json.at("column").get<std::string>();
    encoding.kind = parse_kind(json.at("kind").get<std::string>());
    encoding.classes = json.at("classes").get<std::vector<std::string>>();
    encoding.by_class_name = json.at("mapping").get<std::string>() == "classes";
    return encoding;
  } catch (const nlohmann::json::exception& error) {
    throw_invalid(std::string("target description is malformed: ") + error.what());
  }
}

TargetEncoding infer_target_encoding(const data::Column& column,
                                     const std::optional<std::string>& positive_class) {
  const std::size_t n = column.size();
  if (n == column.missing_count())
    throw_invalid("target column '" + column.name() + "' has no values");

  if (column.type() == data::ColumnType::kString || column.type() == data::ColumnType::kBool) {
    std::map<std::string, std::size_t> counts;
    if (column.type() == data::ColumnType::kString) {
      std::vector<std::size_t> by_code(column.dictionary().size(), 0);
      for (std::size_t row = 0; row < n; ++row)
        if (column.codes()[row] != data::Column::kMissingCode) ++by_code[column.codes()[row]];
      for (std::uint32_t code = 0; code < by_code.size(); ++code)
        if (by_code[code] > 0) counts[std::string(column.dictionary().at(code))] += by_code[code];
    } else {
      for (std::size_t row = 0; row < n; ++row)
        if (!column.is_missing(row)) ++counts[column.bools()[row] ? "true" : "false"];
    }
    std::vector<std::string> names;
    std::vector<std::size_t> sizes;
    for (auto& [name, count] : counts) {
      names.push_back(name);
      sizes.push_back(count);
    }
    if (names.size() < 2)
      throw_invalid("target column '" + column.name() + "' has a single value ('" + names[0] +
                    "'): there is nothing to learn");
    if (names.size() > kMaxTextClasses)
      throw_invalid("target column '" + column.name() + "' is text with " +
                    std::to_string(names.size()) +
                    " distinct values; archml trains classifiers "
                    "on at most " +
                    std::to_string(kMaxTextClasses) +
                    " classes. Pick another --target, or make the column numeric for regression");
    if (names.size() == 2) {
      if (column.type() == data::ColumnType::kBool && !positive_class) {
        TargetEncoding encoding;
        encoding.column = column.name();
        encoding.kind = TargetKind::kBinary;
        encoding.by_class_name = true;
        encoding.classes = {"false", "true"};
        return encoding;
      }
      return encode_two(column, names, sizes, positive_class);
    }
    if (positive_class)
      throw_invalid("--positive-class applies to a two-class target; '" + column.name() + "' has " +
                    std::to_string(names.size()) + " classes");
    TargetEncoding encoding;
    encoding.column = column.name();
    encoding.kind = TargetKind::kMulticlass;
    encoding.by_class_name = true;
    encoding.classes = names;
    return encoding;
  }

  // Numeric: the rules of summarize_target, so training and the encoding agree.
  std::set<double> distinct;
  // Labels come in long runs (most rows are the common class): a value equal to the
  // previous one needs no tree insert, which was most of this loop on millions of rows.
  double previous = NAN;
  bool whole = true;
  double max = -INFINITY;
  for (std::size_t row = 0; row < n; ++row) {
    if (column.is_missing(row)) continue;
    double value = column.number(row);
    if (!std::isfinite(value))
      throw_invalid("target column '" + column.name() + "' has the non-finite value " +
                    std::to_string(value) + " in row " + std::to_string(row + 1));
    whole = whole && value >= 0 && value == std::floor(value);
    max = std::max(max, value);
    if (value != previous && distinct.size() <= kMaxInferredClasses) {
      distinct.insert(value);
      previous = value;
    }
  }
  TargetEncoding encoding;
  encoding.column = column.name();
  if (distinct.size() < 2)
    throw_invalid("target column '" + column.name() +
                  "' has a single value: there is nothing "
                  "to learn");
  auto as_text = [](double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return std::string(buffer);
  };
  if (distinct.size() == 2 && positive_class) {
    std::vector<std::string> names;
    for (double v : distinct) names.push_back(as_text(v));
    if (std::find(names.begin(), names.end(), *positive_class) == names.end())
      throw_invalid("--positive-class '" + *positive_class + "' is not a value of target '" +
                    column.name() + "' (its values: " + join(names) + ")");
    encoding.kind = TargetKind::kBinary;
    encoding.by_class_name = true;
    encoding.classes =
        names[1] == *positive_class ? names : std::vector<std::string>{names[1], names[0]};
    return encoding;
  }
  if (positive_class && !(distinct.size() == 2))
    throw_invalid("--positive-class applies to a two-class target; '" + column.name() +
                  "' has more than two values");
  bool dense_classes = whole && distinct.size() <= std::size_t(kMaxInferredClasses) &&
                       max + 1 == double(distinct.size());
  if (dense_classes && distinct.size() == 2) {
    encoding.kind = TargetKind::kBinary;
    encoding.classes = {"0", "1"};
  } else if (dense_classes) {
    encoding.kind = TargetKind::kMulticlass;
    for (std::size_t k = 0; k < distinct.size(); ++k) encoding.classes.push_back(std::to_string(k));
  } else {
    encoding.kind = TargetKind::kContinuous;
  }
  return encoding;
}

std::vector<float> encode_labels(const data::Column& column, const TargetEncoding& encoding,
                                 std::span<const std::uint32_t> rows) {
  std::vector<float> labels(rows.size());
  if (!encoding.by_class_name) {
    for (std::size_t i = 0; i < rows.size(); ++i)
      labels[i] = static_cast<float>(column.number(rows[i]));
    return labels;
  }
  auto label_of = [&](const std::string& name) -> float {
    auto found = std::find(encoding.classes.begin(), encoding.classes.end(), name);
    if (found == encoding.classes.end())
      throw_invalid("target column '" + column.name() + "' has the value '" + name +
                    "', which is not one of its classes (" + join(encoding.classes) + ")");
    return static_cast<float>(found - encoding.classes.begin());
  };
  if (column.type() == data::ColumnType::kString) {
    std::vector<float> by_code(column.dictionary().size(), -1);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      std::uint32_t code = column.codes()[rows[i]];
      if (by_code[code] < 0) by_code[code] = label_of(std::string(column.dictionary().at(code)));
      labels[i] = by_code[code];
    }
  } else if (column.type() == data::ColumnType::kBool) {
    float yes = label_of("true"), no = label_of("false");
    for (std::size_t i = 0; i < rows.size(); ++i) labels[i] = column.bools()[rows[i]] ? yes : no;
  } else {
    // A numeric two-value target with a named positive class: match the printed values.
    std::map<double, float> cache;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      double value = column.number(rows[i]);
      auto found = cache.find(value);
      if (found == cache.end()) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.17g", value);
        found = cache.emplace(value, label_of(buffer)).first;
      }
      labels[i] = found->second;
    }
  }
  return labels;
}

}  // namespace archml::model
