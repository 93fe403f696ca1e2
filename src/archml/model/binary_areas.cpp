#include "archml/model/binary_areas.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "archml/core/error.h"
#include "archml/core/parallel.h"

namespace archml::model {
namespace {

// XGBoost's detail::CalcDeltaPRAUC: the area of one step of the PR curve, interpolating
// precision between (tp_prev, fp_prev) and (tp, fp) as Davis & Goadrich do. Kept in the
// same operation order so the result is the same double.
double delta_pr_area(double fp_prev, double fp, double tp_prev, double tp, double total_pos) {
  const double pr_prev = tp_prev / total_pos;
  const double pr = tp / total_pos;
  double a = 1.0;
  double b = 0.0;
  if (tp != tp_prev) {
    const double h = (fp - fp_prev) / (tp - tp_prev);
    a = h + 1;
    b = (fp_prev - h * tp_prev) / total_pos;
  }
  if (b != 0.0)
    return (pr - pr_prev - b / a * (std::log(a * pr + b) - std::log(a * pr_prev + b))) / a;
  return (pr - pr_prev) / a;
}

// Rows a thread counts at least: fewer are not worth handing out.
constexpr std::size_t kRowsPerBlock = 1 << 16;

// The index of the first level in [first, last) not below `score` (`last` when none), as
// std::lower_bound gives it, but with a conditional move instead of a branch per step:
// scores come in no order, so a branching search mispredicts half its steps.
std::size_t first_not_below(const float* levels, std::size_t first, std::size_t last, float score) {
  const float* base = levels + first;
  std::size_t length = last - first;
  if (length == 0) return first;
  while (length > 1) {
    const std::size_t half = length / 2;
    base = base[half] < score ? base + half : base;
    length -= half;
  }
  return static_cast<std::size_t>(base - levels) + (*base < score ? 1 : 0);
}

// A float's place in float order as an unsigned integer (NaN aside): its top bits pick
// a bucket of nearby values. -0 is first made +0, which float comparison holds equal.
std::uint32_t order_key(float value) {
  value += 0.0f;
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return (bits & 0x80000000u) != 0 ? ~bits : bits | 0x80000000u;
}

// Where each score falls among the levels (the sorted distinct positive scores): the
// levels below it. A table over the scores' top key bits answers directly for the
// buckets no level falls in, which hold nearly every negative (they score low, the
// positives high); a binary search is left only within the few buckets that hold levels.
class LevelIndex {
 public:
  static constexpr int kShift = 20;  // 4,096 buckets

  explicit LevelIndex(const std::vector<float>& levels)
      : levels_(levels), first_level_((std::size_t{1} << (32 - kShift)) + 1) {
    std::size_t level = 0;
    for (std::size_t bucket = 0; bucket < first_level_.size(); ++bucket) {
      const std::uint64_t start = static_cast<std::uint64_t>(bucket) << kShift;
      while (level < levels.size() && order_key(levels[level]) < start) ++level;
      first_level_[bucket] = static_cast<std::uint32_t>(level);
    }
  }

  std::size_t levels_below(float score) const {
    const std::uint32_t bucket = order_key(score) >> kShift;
    const std::uint32_t first = first_level_[bucket], last = first_level_[bucket + 1];
    return first == last ? first : first_not_below(levels_.data(), first, last, score);
  }

 private:
  const std::vector<float>& levels_;
  std::vector<std::uint32_t> first_level_;  // by bucket: the levels below its first key
};

}  // namespace

BinaryAreas binary_areas(std::span<const float> scores, std::span<const float> labels,
                         unsigned threads) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (scores.size() != labels.size())
    throw_invalid("got " + std::to_string(scores.size()) + " scores for " +
                  std::to_string(labels.size()) + " labels");
  std::vector<float> positive_scores;
  bool any_nan = false;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] == 1.0f) {
      positive_scores.push_back(scores[i]);
    } else if (labels[i] != 0.0f) {
      throw_invalid("label " + std::to_string(labels[i]) + " of row " + std::to_string(i) +
                    " is not 0 or 1");
    }
    any_nan = any_nan || std::isnan(scores[i]);
  }
  if (any_nan) return {kNaN, kNaN};  // no order to rank by
  const double total_pos = static_cast<double>(positive_scores.size());
  const double total_neg = static_cast<double>(scores.size()) - total_pos;
  if (total_pos == 0 || total_neg == 0) return {kNaN, kNaN};

  // The distinct positive scores ascending, with how many positives hold each.
  std::sort(positive_scores.begin(), positive_scores.end());
  std::vector<float> levels;
  std::vector<double> positives_at;
  for (float score : positive_scores) {
    if (levels.empty() || levels.back() != score) {
      levels.push_back(score);
      positives_at.push_back(0);
    }
    ++positives_at.back();
  }
  // negatives_tied[k]: negatives scoring exactly levels[k]; negatives_below[k]: those
  // strictly between levels[k - 1] and levels[k], with negatives_below[K] above the top.
  // Counted in blocks of rows, one block per thread, then summed. Every row is counted
  // (a positive ties its own level, taken off below), which spares a branch on the label.
  const std::size_t level_count = levels.size();
  const LevelIndex index(levels);
  const std::size_t blocks =
      std::max<std::size_t>(1, std::min<std::size_t>(threads, scores.size() / kRowsPerBlock));
  std::vector<std::vector<std::uint32_t>> tied(blocks), below(blocks);
  core::parallel_for(
      blocks,
      [&](std::size_t block) {
        std::vector<std::uint32_t>& block_tied = tied[block];
        std::vector<std::uint32_t>& block_below = below[block];
        block_tied.assign(level_count, 0);
        block_below.assign(level_count + 1, 0);
        const std::size_t begin = scores.size() * block / blocks;
        const std::size_t end = scores.size() * (block + 1) / blocks;
        for (std::size_t i = begin; i < end; ++i) {
          const float score = scores[i];
          const std::size_t k = index.levels_below(score);
          if (k < level_count && levels[k] == score) {
            ++block_tied[k];
          } else {
            ++block_below[k];
          }
        }
      },
      static_cast<unsigned>(blocks));
  std::vector<double> negatives_tied(level_count, 0);
  std::vector<double> negatives_below(level_count + 1, 0);
  for (std::size_t block = 0; block < blocks; ++block) {
    for (std::size_t k = 0; k < level_count; ++k) negatives_tied[k] += tied[block][k];
    for (std::size_t k = 0; k <= level_count; ++k) negatives_below[k] += below[block][k];
  }
  for (std::size_t k = 0; k < level_count; ++k) negatives_tied[k] -= positives_at[k];

  // Down the distinct scores as XGBoost walks them; runs of negatives only are folded in.
  double fp = negatives_below[level_count];
  double tp = 0;
  double roc_area = 0;
  double pr_area = 0;
  for (std::size_t k = level_count; k-- > 0;) {
    const double fp_prev = fp;
    const double tp_prev = tp;
    fp += negatives_tied[k];
    tp += positives_at[k];
    roc_area += std::abs(fp_prev - fp) * (tp_prev + tp) * 0.5;
    pr_area += delta_pr_area(fp_prev, fp, tp_prev, tp, total_pos);
    roc_area += negatives_below[k] * tp;
    fp += negatives_below[k];
  }
  return {roc_area / (fp * tp), pr_area};
}

}  // namespace archml::model
