#include "archml/boost/split.h"

#include <cmath>

namespace archml::boost {
namespace {

double threshold_l1(double g, double alpha) {
  if (g > alpha) return g - alpha;
  if (g < -alpha) return g + alpha;
  return 0;
}

// Tries the split with `left` and `right` children; keeps it when strictly better.
void consider(const TreeParams& p, double parent_gain, std::uint32_t feature, std::uint8_t bin,
              bool default_left, const GradStats& left, const GradStats& right,
              SplitCandidate& best) {
  if (left.hess < p.min_child_weight || right.hess < p.min_child_weight) return;
  if (left.hess <= 0 || right.hess <= 0) return;
  const double change = node_gain(p, left) + node_gain(p, right) - parent_gain;
  if (!(change > best.loss_change)) return;
  best = {change, feature, bin, default_left, left, right};
}

}  // namespace

double node_weight(const TreeParams& p, const GradStats& s) {
  if (s.hess < p.min_child_weight || s.hess <= 0) return 0;
  double w = -threshold_l1(s.grad, p.alpha) / (s.hess + p.lambda);
  if (p.max_delta_step != 0 && std::fabs(w) > p.max_delta_step)
    w = std::copysign(p.max_delta_step, w);
  return w;
}

double node_gain(const TreeParams& p, const GradStats& s, double weight) {
  if (s.hess <= 0) return 0;
  if (p.max_delta_step == 0) {
    const double g = threshold_l1(s.grad, p.alpha);
    return g * g / (s.hess + p.lambda);
  }
  double gain = -(2.0 * s.grad * weight + (s.hess + p.lambda) * weight * weight);
  if (p.alpha != 0) gain += p.alpha * std::fabs(weight);
  return gain;
}

SplitCandidate best_split(const TreeParams& p, const BinnedMatrix& matrix,
                          std::span<const GradStats> histogram, const GradStats& total,
                          std::span<const std::uint8_t> allowed) {
  SplitCandidate best;
  const double parent_gain = node_gain(p, total);
  for (std::uint32_t f = 0; f < matrix.cols(); ++f) {
    if (allowed[f] == 0) continue;
    const GradStats* bins = histogram.data() + matrix.slot_offset(f);
    const std::uint32_t n = matrix.bins(f);
    // Missing values right: the left child takes bins 0..b.
    GradStats left;
    for (std::uint32_t b = 0; b < n; ++b) {
      left += bins[b];
      GradStats right = total;
      right -= left;
      consider(p, parent_gain, f, static_cast<std::uint8_t>(b), false, left, right, best);
    }
    if (bins[n].hess == 0 && bins[n].grad == 0) continue;  // no missing values here
    // Missing values left: the right child takes bins b+1..n-1.
    GradStats right;
    for (std::uint32_t b = n - 1; b > 0; --b) {
      right += bins[b];
      GradStats left_with_missing = total;
      left_with_missing -= right;
      consider(p, parent_gain, f, static_cast<std::uint8_t>(b - 1), true, left_with_missing, right,
               best);
    }
  }
  return best;
}

}  // namespace archml::boost
