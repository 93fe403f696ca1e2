#include "archml/data/split.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <numeric>

#include "archml/core/error.h"
#include "archml/core/numbers.h"

namespace archml::data {
namespace {

constexpr std::string_view kSplitForm =
    "expected METHOD[:COLUMN][:TRAIN,VALIDATION[,TEST]] with METHOD random, stratified or "
    "ordered (ordered needs the COLUMN to sort on), e.g. 'stratified:0.7,0.2,0.1', "
    "'random', 'ordered:step'";

// SplitMix64: a tiny generator whose output is fixed by its definition, unlike
// std::shuffle or the std distributions, so a split is reproducible everywhere.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound) by Lemire's multiply-shift; the tiny bias is irrelevant here.
  std::uint64_t below(std::uint64_t bound) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * bound) >> 64);
  }

 private:
  std::uint64_t state_;
};

void shuffle(std::vector<std::uint32_t>& rows, SplitMix64& random) {
  for (std::size_t i = rows.size(); i > 1; --i) std::swap(rows[i - 1], rows[random.below(i)]);
}

[[noreturn]] void bad_spec(std::string_view text, const std::string& why) {
  throw_invalid("bad --split '" + std::string(text) + "': " + why + "; " + std::string(kSplitForm));
}

std::vector<std::string_view> split_on(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

bool looks_like_ratios(std::string_view text) {
  return !text.empty() && (std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '.');
}

std::array<double, 3> parse_ratios(std::string_view spec_text, std::string_view text) {
  auto parts = split_on(text, ',');
  if (parts.size() < 2 || parts.size() > 3) bad_spec(spec_text, "give two or three ratios");
  std::array<double, 3> ratios = {0, 0, 0};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string part(parts[i]);
    char* end = nullptr;
    double value = std::strtod(part.c_str(), &end);
    if (part.empty() || end != part.c_str() + part.size() || !std::isfinite(value) || value < 0)
      bad_spec(spec_text, "ratio '" + part + "' is not a number >= 0");
    ratios[i] = value;
  }
  return ratios;
}

void check_ratios(const std::array<double, 3>& ratios, std::string_view context) {
  double sum = ratios[0] + ratios[1] + ratios[2];
  if (std::fabs(sum - 1) > 1e-6)
    bad_spec(context, "the ratios add up to " + std::to_string(sum) + ", not 1");
  if (ratios[0] <= 0 || ratios[1] <= 0)
    bad_spec(context,
             "training and validation parts must not be empty (the cutoff is chosen "
             "on validation)");
  for (double r : ratios)
    if (r < 0) bad_spec(context, "ratios must be >= 0");
}

// Cut points of n rows by the ratios; rounding goes to the later parts so that the
// training part gets exactly floor(n * train) rows and the sizes always add up to n.
std::array<std::size_t, 2> cuts(std::size_t n, const std::array<double, 3>& ratios) {
  auto first = static_cast<std::size_t>(std::floor(double(n) * ratios[0] + 1e-9));
  auto second = static_cast<std::size_t>(std::floor(double(n) * (ratios[0] + ratios[1]) + 1e-9));
  if (ratios[2] == 0) second = n;
  first = std::min(first, n);
  second = std::clamp(second, first, n);
  return {first, second};
}

void append_parts(const std::vector<std::uint32_t>& ordered, const std::array<double, 3>& ratios,
                  SplitRows& out) {
  auto [a, b] = cuts(ordered.size(), ratios);
  out.train.insert(out.train.end(), ordered.begin(), ordered.begin() + a);
  out.validation.insert(out.validation.end(), ordered.begin() + a, ordered.begin() + b);
  out.test.insert(out.test.end(), ordered.begin() + b, ordered.end());
}

// A comparable key per row for grouping classes: the value for numbers, the code for text.
double stratum_key(const Column& column, std::size_t row) {
  if (column.type() == ColumnType::kString) return double(column.codes()[row]);
  return column.number(row);
}

// Puts each part in row order, as sorting would, in two linear passes: mark every row
// with its part, then collect the rows of each part by walking the rows once. Sorting
// millions of shuffled indices costs several times more.
void sort_parts(std::size_t rows, SplitRows& out) {
  constexpr std::uint8_t kNone = 0, kTrain = 1, kValidation = 2, kTest = 3;
  std::vector<std::uint8_t> part(rows, kNone);
  for (std::uint32_t row : out.train) part[row] = kTrain;
  for (std::uint32_t row : out.validation) part[row] = kValidation;
  for (std::uint32_t row : out.test) part[row] = kTest;
  std::array<std::vector<std::uint32_t>*, 4> into = {nullptr, &out.train, &out.validation,
                                                     &out.test};
  for (auto* list : {&out.train, &out.validation, &out.test}) list->clear();
  for (std::uint32_t row = 0; row < rows; ++row)
    if (part[row] != kNone) into[part[row]]->push_back(row);
}

}  // namespace

std::string_view to_string(SplitMethod method) {
  switch (method) {
    case SplitMethod::kRandom:
      return "random";
    case SplitMethod::kStratified:
      return "stratified";
    case SplitMethod::kOrdered:
      return "ordered";
  }
  return "?";
}

SplitSpec SplitSpec::parse(std::string_view text) {
  auto parts = split_on(text, ':');
  SplitSpec spec;
  if (parts[0] == "random") {
    spec.method = SplitMethod::kRandom;
  } else if (parts[0] == "stratified") {
    spec.method = SplitMethod::kStratified;
  } else if (parts[0] == "ordered") {
    spec.method = SplitMethod::kOrdered;
  } else {
    bad_spec(text, "unknown method '" + std::string(parts[0]) + "'");
  }
  std::size_t next = 1;
  if (spec.method == SplitMethod::kOrdered) {
    if (parts.size() < 2 || parts[1].empty() || looks_like_ratios(parts[1]))
      bad_spec(text, "ordered needs the column to sort on");
    spec.column = std::string(parts[1]);
    next = 2;
  }
  if (parts.size() > next + 1) bad_spec(text, "too many ':' parts");
  if (parts.size() == next + 1) spec.ratios = parse_ratios(text, parts[next]);
  check_ratios(spec.ratios, text);
  return spec;
}

std::string SplitSpec::to_string() const {
  std::string text(data::to_string(method));
  if (method == SplitMethod::kOrdered) text += ":" + column;
  for (std::size_t i = 0; i < ratios.size(); ++i) {
    text += i == 0 ? ':' : ',';
    core::append_shortest(text, ratios[i]);
  }
  return text;
}

nlohmann::json SplitSpec::to_json() const {
  nlohmann::json json = {{"method", std::string(data::to_string(method))},
                         {"ratios", {ratios[0], ratios[1], ratios[2]}},
                         {"seed", seed}};
  if (method == SplitMethod::kOrdered) json["column"] = column;
  return json;
}

SplitSpec SplitSpec::from_json(const nlohmann::json& json) {
  try {
    SplitSpec spec = parse(
        json.at("method").get<std::string>() +
        (json.contains("column") ? ":" + json.at("column").get<std::string>() : std::string()));
    auto ratios = json.at("ratios").get<std::vector<double>>();
    if (ratios.size() != 3) throw_invalid("split spec: 'ratios' must hold three numbers");
    spec.ratios = {ratios[0], ratios[1], ratios[2]};
    check_ratios(spec.ratios, "split spec");
    spec.seed = json.at("seed").get<std::uint64_t>();
    return spec;
  } catch (const nlohmann::json::exception& error) {
    throw_invalid(std::string("split spec is malformed: ") + error.what());
  }
}

SplitRows split_rows(const Table& table, const SplitSpec& spec, std::string_view target) {
  check_ratios(spec.ratios, spec.to_string());
  const std::size_t n = table.row_count();
  if (n >= std::numeric_limits<std::uint32_t>::max())
    throw_invalid("cannot split " + std::to_string(n) + " rows: at most 2^32 - 1 are supported");
  const Column* target_column = target.empty() ? nullptr : &table.column(target);
  if (spec.method == SplitMethod::kStratified && target_column == nullptr)
    throw_invalid("a stratified split needs the target column");

  SplitRows out;
  std::vector<std::uint32_t> rows;
  rows.reserve(n);
  for (std::uint32_t row = 0; row < n; ++row)
    if (target_column == nullptr || !target_column->is_missing(row)) rows.push_back(row);
  out.excluded = n - rows.size();
  SplitMix64 random(spec.seed);

  switch (spec.method) {
    case SplitMethod::kRandom: {
      shuffle(rows, random);
      append_parts(rows, spec.ratios, out);
      break;
    }
    case SplitMethod::kStratified: {
      if (target_column->type() == ColumnType::kFloat64) {
        bool whole = std::all_of(rows.begin(), rows.end(), [&](std::uint32_t r) {
          double v = target_column->floats()[r];
          return v == std::floor(v);
        });
        if (!whole)
          throw_invalid("a stratified split needs a target of classes, but '" +
                        std::string(target) +
                        "' holds continuous numbers; use --split random (or ordered:COLUMN)");
      }
      // std::map keeps the strata in key order, so the result does not depend on hashing.
      // Rows of one class tend to follow each other (and one class is most rows), so the
      // stratum of the previous row is tried before the map.
      std::map<double, std::vector<std::uint32_t>> strata;
      double last_key = std::numeric_limits<double>::quiet_NaN();
      std::vector<std::uint32_t>* last_stratum = nullptr;
      for (std::uint32_t row : rows) {
        const double key = stratum_key(*target_column, row);
        if (last_stratum == nullptr || key != last_key) {
          last_key = key;
          last_stratum = &strata[key];
        }
        last_stratum->push_back(row);
      }
      if (strata.size() > rows.size() / 2 && rows.size() > 100)
        throw_invalid("a stratified split needs a target of classes, but '" + std::string(target) +
                      "' has " + std::to_string(strata.size()) +
                      " distinct values; use --split random");
      for (auto& [key, members] : strata) {
        shuffle(members, random);
        append_parts(members, spec.ratios, out);
      }
      break;
    }
    case SplitMethod::kOrdered: {
      const Column& column = table.column(std::string_view(spec.column));
      if (!column.is_numeric())
        throw_invalid("ordered split: column '" + spec.column +
                      "' holds text; sort on a numeric column such as a time step");
      // Missing keys sort last: an unknown time cannot be shown to training as the past.
      std::stable_sort(rows.begin(), rows.end(), [&](std::uint32_t a, std::uint32_t b) {
        double x = column.number(a), y = column.number(b);
        if (std::isnan(y)) return !std::isnan(x);
        return x < y;
      });
      append_parts(rows, spec.ratios, out);
      break;
    }
  }
  if (out.train.empty() || out.validation.empty() || (spec.ratios[2] > 0 && out.test.empty()))
    throw_invalid("split " + spec.to_string() + " of " + std::to_string(rows.size()) +
                  " rows leaves a part empty (train " + std::to_string(out.train.size()) +
                  ", validation " + std::to_string(out.validation.size()) + ", test " +
                  std::to_string(out.test.size()) + "); use more rows or other ratios");
  sort_parts(n, out);
  return out;
}

}  // namespace archml::data
