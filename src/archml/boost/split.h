// Split finding on one node's histogram, with XGBoost 1.7's hist rules: gain and weight
// from the sums of gradients and hessians with lambda (L2), alpha (L1), max_delta_step,
// min_child_weight on both children; every bin boundary of every allowed feature tried
// with missing values sent right, and, when the node has missing values for the
// feature, also with them sent left; ties go to the lower feature, then the earlier
// candidate. Gamma (min_split_loss) is applied by the grower, as XGBoost applies it
// when deciding to expand.
#pragma once

#include <cstdint>
#include <span>

#include "archml/boost/binned_matrix.h"

namespace archml::boost {

struct GradStats {
  double grad = 0;
  double hess = 0;
  GradStats& operator+=(const GradStats& o) {
    grad += o.grad;
    hess += o.hess;
    return *this;
  }
  GradStats& operator-=(const GradStats& o) {
    grad -= o.grad;
    hess -= o.hess;
    return *this;
  }
};

struct TreeParams {
  double lambda = 1;
  double alpha = 0;
  double max_delta_step = 0;
  double min_child_weight = 1;
};

// XGBoost's CalcWeight: the node's Newton step, 0 below min_child_weight.
double node_weight(const TreeParams& p, const GradStats& s);
// XGBoost's CalcGainGivenWeight (the fast form without max_delta_step).
double node_gain(const TreeParams& p, const GradStats& s, double weight);
inline double node_gain(const TreeParams& p, const GradStats& s) {
  return node_gain(p, s, node_weight(p, s));
}

struct SplitCandidate {
  double loss_change = 0;  // gain of the children minus the node's; > 0 when found
  std::uint32_t feature = 0;
  std::uint8_t bin = 0;  // left: bins <= bin
  bool default_left = false;
  GradStats left, right;
  // XGBoost's kRtEps: smaller gains are not splits.
  bool found() const { return loss_change > 1e-6; }
};

// The best split of a node with gradient sums `total` from its histogram (one GradStats
// per slot of `matrix`). Only features with allowed[f] != 0 are tried.
SplitCandidate best_split(const TreeParams& p, const BinnedMatrix& matrix,
                          std::span<const GradStats> histogram, const GradStats& total,
                          std::span<const std::uint8_t> allowed);

}  // namespace archml::boost
