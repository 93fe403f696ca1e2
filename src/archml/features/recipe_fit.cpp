// Recipe::fit: each step is fitted on the values it will actually receive, i.e. the
// training split run through the steps before it (the same Plan that transform uses).
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "archml/core/error.h"
#include "archml/core/numbers.h"
#include "archml/features/plan.h"
#include "archml/features/recipe.h"

namespace archml::features {
namespace {

using core::kNaN;

// Expands a step's default columns against the frame it will see.
FittedStep resolve(const Step& step, const Plan& plan, std::size_t index,
                   const std::string& target) {
  FittedStep fitted;
  fitted.step = step;
  std::vector<std::string> names;
  if (!step.columns.empty()) {
    names = step.columns;
  } else if (step.kind == StepKind::kOneHot) {
    for (const auto& column : plan.frame())
      if (column.is_text) names.push_back(column.name);
  } else if (step.kind == StepKind::kMinMax || step.kind == StepKind::kStandardize ||
             step.kind == StepKind::kImpute) {
    for (const auto& column : plan.frame())
      if (!column.is_text && !column.is_indicator) names.push_back(column.name);
  }
  std::set<std::string> seen;
  for (const auto& name : names) {
    if (!seen.insert(name).second)
      throw_invalid("recipe " + step_label(step, index) + ": column '" + name +
                    "' is listed twice");
    // Dropping the target is harmless (a recipe may serve for several targets).
    if (step.kind == StepKind::kDrop && !target.empty() && name == target) continue;
    fitted.columns.push_back(FittedColumn{name, 0, 0, {}, false});
  }
  return fitted;
}

void fit_one_hot(FittedStep& fitted, const Plan& plan, const data::Table& train) {
  for (auto& column : fitted.columns) {
    const FrameColumn& source = plan.frame()[static_cast<std::size_t>(plan.find(column.name))];
    const data::Column& raw = train.column(plan.inputs()[source.input].name);
    std::vector<std::uint64_t> counts(raw.dictionary().size(), 0);
    for (std::uint32_t code : raw.codes())
      if (code != data::Column::kMissingCode) ++counts[code];
    std::vector<std::pair<std::string_view, std::uint64_t>> present;
    for (std::uint32_t code = 0; code < counts.size(); ++code)
      if (counts[code] > 0) present.emplace_back(raw.dictionary().at(code), counts[code]);
    const auto& cap = fitted.step.max_categories;
    if (cap && present.size() > *cap) {
      std::sort(present.begin(), present.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
      });
      present.resize(*cap);
    }
    std::sort(present.begin(), present.end());
    column.categories.clear();
    for (const auto& [name, count] : present) column.categories.emplace_back(name);
    // With a cap, categories beyond it (infrequent in training or never seen) share one
    // indicator, so the other bucket exists whether or not training needed it.
    column.other = cap.has_value() || fitted.step.unseen == UnseenPolicy::kOther;
  }
}

// Count, mean and sum of squared deviations, merged block by block in block order so the
// result does not depend on the thread count (Chan et al.'s pairwise update).
struct Moments {
  double count = 0;
  double mean = 0;
  double m2 = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();

  void merge(const Moments& other) {
    if (other.count == 0) return;
    double total = count + other.count;
    double delta = other.mean - mean;
    mean += delta * other.count / total;
    m2 += other.m2 + delta * delta * count * other.count / total;
    count = total;
    min = std::min(min, other.min);
    max = std::max(max, other.max);
  }
};

Moments block_moments(const double* values, std::size_t rows) {
  // Branch-free so the compiler vectorises: NaN fails every comparison, and x == x is
  // false exactly for NaN.
  Moments moments;
  double sum = 0, count = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    double x = values[i];
    bool present = x == x;
    count += present ? 1.0 : 0.0;
    sum += present ? x : 0.0;
    moments.min = x < moments.min ? x : moments.min;
    moments.max = x > moments.max ? x : moments.max;
  }
  moments.count = count;
  if (count == 0) return moments;
  moments.mean = sum / count;
  double m2 = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    double d = values[i] - moments.mean;
    m2 += values[i] == values[i] ? d * d : 0.0;
  }
  moments.m2 = m2;
  return moments;
}

// The median of the non-missing values (mean of the two middle ones for an even count).
double median(std::vector<double>& values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double x) { return std::isnan(x); }),
               values.end());
  if (values.empty()) return kNaN;
  std::size_t middle = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle),
                   values.end());
  double upper = values[middle];
  if (values.size() % 2 == 1) return upper;
  double lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle));
  return lower + (upper - lower) / 2;
}

void fit_numeric(FittedStep& fitted, const Plan& plan, const data::Table& train, unsigned threads) {
  const Step& step = fitted.step;
  if (step.kind == StepKind::kImpute && step.strategy == ImputeStrategy::kConstant) {
    for (auto& column : fitted.columns) column.first = step.value;
    return;
  }
  std::vector<std::size_t> slots;
  for (const auto& column : fitted.columns)
    slots.push_back(plan.frame()[static_cast<std::size_t>(plan.find(column.name))].slot);
  const std::size_t rows = train.row_count();
  const std::size_t width = slots.size();
  bool want_median = step.kind == StepKind::kImpute && step.strategy == ImputeStrategy::kMedian;

  const std::size_t blocks = (rows + Plan::kBlockRows - 1) / Plan::kBlockRows;
  std::vector<Moments> moments(want_median ? 0 : blocks * width);
  std::vector<std::vector<double>> values(want_median ? width : 0);
  for (auto& column : values) column.resize(rows);
  plan.run(
      train, slots,
      [&](const Block& block) {
        for (std::size_t c = 0; c < width; ++c) {
          const double* data = block.slot(slots[c]);
          if (want_median)
            std::copy(data, data + block.size(),
                      values[c].begin() + static_cast<std::ptrdiff_t>(block.begin));
          else
            moments[block.index * width + c] = block_moments(data, block.size());
        }
      },
      threads);

  for (std::size_t c = 0; c < width; ++c) {
    FittedColumn& column = fitted.columns[c];
    if (want_median) {
      column.first = median(values[c]);
      std::vector<double>().swap(values[c]);
      if (std::isnan(column.first)) column.first = 0;
      continue;
    }
    Moments total;
    for (std::size_t b = 0; b < blocks; ++b) total.merge(moments[b * width + c]);
    bool empty = total.count == 0;
    switch (step.kind) {
      case StepKind::kMinMax:
        column.first = empty ? kNaN : total.min;
        column.second = empty ? kNaN : total.max;
        break;
      case StepKind::kStandardize:
        column.first = empty ? kNaN : total.mean;
        column.second = empty ? kNaN : std::sqrt(total.m2 / total.count);
        break;
      default:  // impute mean; a column with no values at all is filled with 0
        column.first = empty ? 0 : total.mean;
        break;
    }
  }
}

}  // namespace

FittedRecipe Recipe::fit(const data::Table& train, std::string_view target_name,
                         unsigned threads) const {
  std::string target(target_name);
  if (!target.empty() && train.find(target) < 0) {
    std::string names;
    for (const auto& column : train.columns()) names += (names.empty() ? "" : ", ") + column.name();
    throw_not_found("no target column '" + target + "'; the columns are: " + names);
  }
  std::vector<InputColumn> inputs;
  for (const auto& column : train.columns())
    if (column.name() != target) inputs.push_back({column.name(), column.type()});

  std::vector<FittedStep> fitted;
  for (std::size_t i = 0; i < steps_.size(); ++i) {
    Plan before(inputs, fitted, target);
    fitted.push_back(resolve(steps_[i], before, i + 1, target));
    Plan check(inputs, fitted, target);  // names the step of an unknown or text column
    FittedStep& step = fitted.back();
    switch (step.step.kind) {
      case StepKind::kOneHot:
        fit_one_hot(step, before, train);
        break;
      case StepKind::kMinMax:
      case StepKind::kStandardize:
      case StepKind::kImpute:
        fit_numeric(step, before, train, threads);
        break;
      default:
        break;
    }
  }
  return FittedRecipe(target, std::move(inputs), std::move(fitted));
}

}  // namespace archml::features
