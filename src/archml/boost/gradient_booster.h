// archml's gradient-boosting engine: histogram boosting of depthwise trees on a
// BinnedMatrix, round by round.
//
// A round: gradient pairs of every training row from its margin; a row sample
// (subsample, the same rows for any thread count: a hash of seed, round and row); a tree
// grown level by level to max_depth, each node split by split.h's rules and expanded only
// when its loss change is at least gamma; leaves worth eta times their weight; then every
// training row's margin moves by its leaf's value.
//
// Histograms: one (gradient, hessian) sum per bin slot and node. A node's rows are a
// contiguous run of the row list, cut into at most 16 chunks whose histograms are
// summed in chunk order, so the sums (and the model) do not depend on the thread count.
// Of two siblings only the one with fewer rows is built; the other is its parent's
// histogram minus it. Built histograms pass through the HistogramReduce callback before
// use, where several processes that each hold some rows can sum them (MPI allreduce): a
// later step has to make the smaller-sibling choice from global row counts too.
//
// Feature sampling (colsample_bytree, then _bylevel from those, then _bynode from
// those) draws with a generator seeded by seed and round, as XGBoost draws (not the same
// draws). Threads: `threads` cores through the whole round, work split in fixed chunks.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "archml/boost/binned_matrix.h"
#include "archml/boost/objective.h"
#include "archml/boost/split.h"
#include "archml/boost/tree.h"
#include "archml/boost/worker_pool.h"

namespace archml::boost {

struct BoostParams {
  Objective objective = Objective::kBinaryLogistic;
  TreeParams tree;
  int max_depth = 6;
  double eta = 0.3;
  double gamma = 0;
  double subsample = 1;
  double colsample_bytree = 1;
  double colsample_bylevel = 1;
  double colsample_bynode = 1;
  float scale_pos_weight = 1;
  double base_score = 0.5;  // in score space (a probability for binary:logistic)
  std::uint64_t seed = 0;
  unsigned threads = 1;
};

// Called with each histogram this process built, before it is used; replaces it with
// the sum over every process's rows. Empty: one process holds all rows.
using HistogramReduce = std::function<void(std::span<GradStats> histogram)>;

class GradientBooster {
 public:
  // `matrix` and `labels` (one per row) must outlive the booster. Throws archml::Error
  // (invalid input) for a label count that does not match or parameters out of range.
  GradientBooster(const BinnedMatrix& matrix, std::span<const float> labels,
                  const BoostParams& params, HistogramReduce reduce = {});

  // Grows one tree and adds it to the model; returns it.
  const Tree& boost_round();

  const std::vector<Tree>& trees() const { return trees_; }
  const BoostParams& params() const { return params_; }
  float base_margin() const { return base_margin_; }
  // Every training row's margin after the rounds so far.
  std::span<const float> training_margins() const { return margins_; }

 private:
  struct NodeWork;
  void compute_round_gradients();
  void sample_rows();
  std::vector<std::uint8_t> sample_features(const std::vector<std::uint8_t>& from, double fraction,
                                            std::uint64_t stream);
  void grow(Tree& tree);
  void build_histograms(std::span<NodeWork*> nodes);
  void partition(std::span<NodeWork* const> nodes, const Tree& tree);
  void update_margins(const Tree& tree);

  const BinnedMatrix& matrix_;
  std::span<const float> labels_;
  BoostParams params_;
  HistogramReduce reduce_;
  float base_margin_;
  std::vector<float> margins_;
  std::vector<GradientPair> gradients_;
  std::vector<std::uint32_t> rows_, scratch_;
  std::vector<GradStats> chunk_histograms_;
  std::vector<Tree> trees_;
  std::uint64_t round_ = 0;
  std::unique_ptr<WorkerPool> pool_;  // params_.threads, started once
};

}  // namespace archml::boost
