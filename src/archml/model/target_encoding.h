// How the target column becomes XGBoost labels, and back. Classification targets get a
// list of classes, label i standing for classes[i]; for a binary target classes[1] is
// the positive class. Numbers 0/1 stay 0/1, integers 0..k-1 stay themselves; text (and
// bool) targets are mapped: two classes make a binary target whose positive class is the
// minority one unless named, more make a multi-class target in sorted order. Anything
// else numeric is a regression target, its labels the values themselves.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archml/data/table.h"
#include "archml/model/hyperparameters.h"

namespace archml::model {

// Text targets with more distinct values than this are rejected: such a column is an ID
// or a free-text field, not a set of classes.
inline constexpr std::size_t kMaxTextClasses = 50;

// "binary", "multiclass" or "regression", as bundle.json spells it.
std::string to_string(TargetKind kind);

struct TargetEncoding {
  std::string column;
  TargetKind kind = TargetKind::kContinuous;
  std::vector<std::string> classes;  // empty for regression
  // How a raw value maps to its label: numeric targets are used as they are ("identity"),
  // text and bool targets through `classes` ("classes").
  bool by_class_name = false;

  std::size_t class_count() const { return classes.size(); }
  // The positive class of a binary target; empty otherwise.
  std::string positive_class() const;

  nlohmann::json to_json() const;
  static TargetEncoding from_json(const nlohmann::json& json);
};

// Looks at every non-missing value of `column`. `positive_class` (binary only) names the
// class that becomes label 1. Throws archml::Error (invalid input) for a target with one
// value, no values, too many text classes, or an unknown positive class.
TargetEncoding infer_target_encoding(const data::Column& column,
                                     const std::optional<std::string>& positive_class = {});

// The label of each row in `rows` (all rows when empty is not wanted: pass them). Rows
// whose target is missing must not be passed. Throws archml::Error for a value the
// encoding does not know.
std::vector<float> encode_labels(const data::Column& column, const TargetEncoding& encoding,
                                 std::span<const std::uint32_t> rows);

}  // namespace archml::model
