// Train / validation / test splits as row index sets. Three methods:
//  - random: a seeded shuffle of the rows, cut by the ratios;
//  - stratified: the same within each target class, so every part keeps the class ratios
//    (the way to split a 0.13 % fraud target);
//  - ordered: a stable sort on a column (e.g. `step`, hours since start), cut so that
//    training sees the past and test the future; rows tied at a cut may fall either side.
// Splits are deterministic: the same spec on the same table gives the same rows on every
// platform (own shuffle on a seeded SplitMix64, not std::shuffle). Rows whose target is
// missing are in no part. Each part lists its rows in ascending order.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "archml/data/table.h"

namespace archml::data {

enum class SplitMethod : std::uint8_t { kRandom, kStratified, kOrdered };

std::string_view to_string(SplitMethod method);

struct SplitSpec {
  SplitMethod method = SplitMethod::kStratified;
  std::array<double, 3> ratios = {0.7, 0.2, 0.1};  // train, validation, test; sum 1
  std::uint64_t seed = 1729;
  std::string column;  // ordered only: the column to sort on

  // The CLI form: METHOD[:COLUMN][:RATIOS], e.g. "random", "stratified:0.8,0.1,0.1",
  // "ordered:step", "ordered:step:0.6,0.2,0.2". Two ratios mean no test part. Throws
  // archml::Error (invalid input) explaining the form.
  static SplitSpec parse(std::string_view text);
  std::string to_string() const;  // parse(to_string()) == *this, but for the seed

  nlohmann::json to_json() const;
  static SplitSpec from_json(const nlohmann::json& json);
  bool operator==(const SplitSpec&) const = default;
};

struct SplitRows {
  std::vector<std::uint32_t> train;
  std::vector<std::uint32_t> validation;
  std::vector<std::uint32_t> test;
  std::size_t excluded = 0;  // rows left out because the target is missing
};

// `target` names the column whose missing rows are excluded and on which stratified
// splits are made (may be empty for random/ordered). Throws archml::Error when a column
// does not exist, the table has 2^32 rows or more, or a part would be empty.
SplitRows split_rows(const Table& table, const SplitSpec& spec, std::string_view target);

}  // namespace archml::data
