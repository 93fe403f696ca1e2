#include "archml/boost/gradient_booster.h"

#include <emmintrin.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>

#include "archml/core/error.h"

namespace archml::boost {

// One node of the level being grown: its rows rows_[begin, end), its gradient sums and
// (when it may be split) its histogram.
struct GradientBooster::NodeWork {
  int node = 0;
  std::uint32_t begin = 0, end = 0;
  GradStats total;
  std::vector<GradStats> histogram;
  SplitCandidate split;
  bool expanded = false;
  std::uint32_t left_rows = 0;  // after partition(): rows_[begin, begin + left_rows) go left
  std::uint32_t size() const { return end - begin; }
};

namespace {

// Rows per task of the per-row loops (gradients, sampling, margins).
constexpr std::size_t kRowsPerBlock = 1 << 16;
// A node's rows are cut into at most this many histogram / partition chunks, none
// smaller than kMinChunkRows unless the node is.
constexpr std::size_t kMaxChunks = 16;
constexpr std::size_t kMinChunkRows = 1 << 13;

std::uint64_t mix(std::uint64_t z) {
  z += 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::size_t blocks_of(std::size_t rows) {
  return std::max<std::size_t>(1, (rows + kRowsPerBlock - 1) / kRowsPerBlock);
}

// Runs work(begin, end) over fixed blocks of [0, rows).
template <typename Work>
void for_blocks(std::size_t rows, WorkerPool& pool, const Work& work) {
  pool.run(blocks_of(rows), [&](std::size_t b) {
    work(b * kRowsPerBlock, std::min(rows, (b + 1) * kRowsPerBlock));
  });
}

std::size_t chunks_of(std::size_t rows) {
  return std::clamp<std::size_t>((rows + kMinChunkRows - 1) / kMinChunkRows, 1, kMaxChunks);
}

// A chunk of a node's rows: rows_[begin, end) of nodes[node].
struct Chunk {
  std::size_t node;
  std::uint32_t begin, end;
};

template <typename Node>
std::vector<Chunk> chunks(std::span<Node* const> nodes) {
  std::vector<Chunk> out;
  for (std::size_t n = 0; n < nodes.size(); ++n) {
    const std::size_t count = chunks_of(nodes[n]->size());
    for (std::size_t c = 0; c < count; ++c)
      out.push_back(
          {n, static_cast<std::uint32_t>(nodes[n]->begin + nodes[n]->size() * c / count),
           static_cast<std::uint32_t>(nodes[n]->begin + nodes[n]->size() * (c + 1) / count)});
  }
  return out;
}

void check_params(const BoostParams& p, std::size_t labels, std::size_t rows) {
  if (labels != rows)
    throw_invalid("got " + std::to_string(labels) + " labels for " + std::to_string(rows) +
                  " rows; give one label per row");
  if (p.max_depth < 1) throw_invalid("tree_method=archml needs max_depth >= 1 (0 is unlimited)");
  if (p.threads == 0) throw_invalid("the engine needs at least one thread");
}

}  // namespace

GradientBooster::GradientBooster(const BinnedMatrix& matrix, std::span<const float> labels,
                                 const BoostParams& params, HistogramReduce reduce)
    : matrix_(matrix), labels_(labels), params_(params), reduce_(std::move(reduce)) {
  check_params(params_, labels.size(), matrix.rows());
  pool_ = std::make_unique<WorkerPool>(params_.threads);
  base_margin_ = initial_margin(params_.objective, params_.base_score);
  margins_.assign(matrix.rows(), base_margin_);
  gradients_.resize(matrix.rows());
  rows_.resize(matrix.rows());
  scratch_.resize(matrix.rows());
}

const Tree& GradientBooster::boost_round() {
  sample_rows();
  compute_round_gradients();
  Tree& tree = trees_.emplace_back();
  grow(tree);
  update_margins(tree);
  ++round_;
  return tree;
}

// Only the sampled rows' pairs: the others are not read this round.
void GradientBooster::compute_round_gradients() {
  for_blocks(rows_.size(), *pool_, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const std::uint32_t r = rows_[i];
      gradients_[r] =
          gradient_of(params_.objective, margins_[r], labels_[r], params_.scale_pos_weight);
    }
  });
}

// rows_ becomes the round's sample, ascending; its size is rows_.size() afterwards.
void GradientBooster::sample_rows() {
  const std::size_t rows = matrix_.rows();
  rows_.resize(rows);
  if (params_.subsample >= 1) {
    std::iota(rows_.begin(), rows_.end(), 0u);
    return;
  }
  const auto threshold =
      static_cast<std::uint64_t>(params_.subsample * 18446744073709551616.0 /* 2^64 */);
  const std::uint64_t key = mix(params_.seed) ^ mix(round_ + 0x5851F42D4C957F2DULL);
  const auto keep = [&](std::size_t r) { return mix(key + r) < threshold; };
  // Each block writes its kept rows to its own stretch of scratch_, then the stretches
  // are packed into rows_ in block order.
  const std::size_t blocks = blocks_of(rows);
  std::vector<std::size_t> counts(blocks + 1, 0);
  for_blocks(rows, *pool_, [&](std::size_t begin, std::size_t end) {
    std::uint32_t* out = scratch_.data() + begin;
    for (std::size_t r = begin; r < end; ++r) {
      *out = static_cast<std::uint32_t>(r);
      out += keep(r) ? 1 : 0;
    }
    counts[begin / kRowsPerBlock + 1] = static_cast<std::size_t>(out - (scratch_.data() + begin));
  });
  std::size_t kept = 0;
  for (std::size_t b = 0; b < blocks; ++b) {
    std::copy_n(scratch_.begin() + static_cast<std::ptrdiff_t>(b * kRowsPerBlock), counts[b + 1],
                rows_.begin() + static_cast<std::ptrdiff_t>(kept));
    kept += counts[b + 1];
  }
  rows_.resize(kept);
}

std::vector<std::uint8_t> GradientBooster::sample_features(const std::vector<std::uint8_t>& from,
                                                           double fraction, std::uint64_t stream) {
  if (fraction >= 1) return from;
  std::vector<std::uint32_t> candidates;
  for (std::uint32_t f = 0; f < from.size(); ++f)
    if (from[f] != 0) candidates.push_back(f);
  const auto keep = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::round(fraction * static_cast<double>(candidates.size()))));
  std::mt19937_64 generator(mix(params_.seed) ^ mix(round_ * 0x9E3779B97F4A7C15ULL + stream));
  std::shuffle(candidates.begin(), candidates.end(), generator);
  std::vector<std::uint8_t> chosen(from.size(), 0);
  for (std::size_t i = 0; i < std::min(keep, candidates.size()); ++i) chosen[candidates[i]] = 1;
  return chosen;
}

void GradientBooster::grow(Tree& tree) {
  const TreeParams& p = params_.tree;
  const std::vector<std::uint8_t> all(matrix_.cols(), 1);
  const std::vector<std::uint8_t> by_tree = sample_features(all, params_.colsample_bytree, 1);

  std::vector<NodeWork> level(1);
  level[0].node = 0;
  level[0].end = static_cast<std::uint32_t>(rows_.size());
  {
    NodeWork* root = &level[0];
    build_histograms({&root, 1});
    // Every feature's slots hold every row once: feature 0's sum is the node's.
    const std::uint32_t slots = matrix_.bins(0) + 1;
    for (std::uint32_t s = 0; s < slots; ++s) root->total += root->histogram[s];
  }
  tree.add_node(-1, static_cast<float>(node_weight(p, level[0].total)),
                static_cast<float>(level[0].total.hess));

  for (int depth = 0; !level.empty(); ++depth) {
    const std::vector<std::uint8_t> by_level =
        sample_features(by_tree, params_.colsample_bylevel, 1000 + depth);
    // Splits of this level's nodes.
    pool_->run(level.size(), [&](std::size_t n) {
      NodeWork& work = level[n];
      if (depth >= params_.max_depth || work.histogram.empty()) return;
      const std::vector<std::uint8_t> allowed =
          params_.colsample_bynode >= 1
              ? by_level
              : sample_features(by_level, params_.colsample_bynode,
                                (1000 + depth) * 4096 + static_cast<std::uint64_t>(n));
      work.split = best_split(p, matrix_, work.histogram, work.total, allowed);
      work.expanded = work.split.found() && work.split.loss_change >= params_.gamma;
    });

    std::vector<NodeWork*> expanded;
    for (NodeWork& work : level) {
      const int id = work.node;
      if (!work.expanded) {
        tree.value[id] = static_cast<float>(tree.base_weight[id] * params_.eta);
        continue;
      }
      const SplitCandidate& s = work.split;
      tree.feature[id] = s.feature;
      tree.split_bin[id] = s.bin;
      tree.split_value[id] = matrix_.cuts(s.feature)[s.bin];
      tree.default_left[id] = s.default_left ? 1 : 0;
      tree.loss_change[id] = static_cast<float>(s.loss_change);
      tree.left[id] = tree.add_node(id, static_cast<float>(node_weight(p, s.left)),
                                    static_cast<float>(s.left.hess));
      tree.right[id] = tree.add_node(id, static_cast<float>(node_weight(p, s.right)),
                                     static_cast<float>(s.right.hess));
      expanded.push_back(&work);
    }
    if (expanded.empty()) break;
    // Children at max_depth are leaves: their rows are not needed (update_margins walks
    // the tree), so the last level is not partitioned.
    const bool needs_histograms = depth + 1 < params_.max_depth;
    if (needs_histograms) partition(expanded, tree);

    // The next level: two children per expanded node, in expansion order.
    std::vector<NodeWork> next(expanded.size() * 2);
    std::vector<NodeWork*> to_build;
    for (std::size_t e = 0; e < expanded.size(); ++e) {
      const NodeWork& parent = *expanded[e];
      NodeWork& l = next[2 * e];
      NodeWork& r = next[2 * e + 1];
      l.node = tree.left[parent.node];
      r.node = tree.right[parent.node];
      l.total = parent.split.left;
      r.total = parent.split.right;
      // partition() put the left child's rows first.
      l.begin = parent.begin;
      l.end = parent.begin + parent.left_rows;
      r.begin = l.end;
      r.end = parent.end;
      if (needs_histograms) to_build.push_back(l.size() <= r.size() ? &l : &r);
    }
    if (needs_histograms) {
      build_histograms(to_build);
      for (std::size_t e = 0; e < expanded.size(); ++e) {
        NodeWork& l = next[2 * e];
        NodeWork& r = next[2 * e + 1];
        NodeWork& built = l.histogram.empty() ? r : l;
        NodeWork& other = l.histogram.empty() ? l : r;
        other.histogram = std::move(expanded[e]->histogram);
        for (std::size_t s = 0; s < other.histogram.size(); ++s)
          other.histogram[s] -= built.histogram[s];
      }
    }
    level = std::move(next);
  }
}

void GradientBooster::build_histograms(std::span<NodeWork*> nodes) {
  const std::vector<Chunk> work = chunks<NodeWork>(nodes);
  const std::size_t slots = matrix_.histogram_slots();
  chunk_histograms_.resize(work.size() * slots);
  const std::size_t cols = matrix_.cols();
  std::vector<std::uint32_t> offsets(cols);
  for (std::size_t f = 0; f < cols; ++f) offsets[f] = 2 * matrix_.slot_offset(f);
  pool_->run(work.size(), [&](std::size_t c) {
    GradStats* histogram = chunk_histograms_.data() + c * slots;
    std::fill(histogram, histogram + slots, GradStats{});
    double* sums = &histogram[0].grad;
    const std::uint32_t* rows = rows_.data();
    for (std::uint32_t i = work[c].begin; i < work[c].end; ++i) {
      const std::uint32_t r = rows[i];
      // The row's (gradient, hessian) float pair as two doubles, added to a slot's
      // pair in one step.
      const double g = gradients_[r].grad, h = gradients_[r].hess;
      const std::uint8_t* bins = matrix_.row(r);
      for (std::size_t f = 0; f < cols; ++f) {
        double* slot = sums + offsets[f] + 2 * bins[f];
        slot[0] += g;
        slot[1] += h;
      }
    }
  });
  for (std::size_t c = 0; c < work.size(); ++c) {
    NodeWork& node = *nodes[work[c].node];
    const GradStats* chunk = chunk_histograms_.data() + c * slots;
    if (node.histogram.empty()) {
      node.histogram.assign(chunk, chunk + slots);
    } else {
      for (std::size_t s = 0; s < slots; ++s) node.histogram[s] += chunk[s];
    }
  }
  if (reduce_)
    for (NodeWork* node : nodes) reduce_(node->histogram);
}

void GradientBooster::partition(std::span<NodeWork* const> nodes, const Tree& tree) {
  const std::vector<Chunk> work = chunks<NodeWork>(nodes);
  // Pass 1, one decision per row: each chunk's rows, lefts then rights (both in their
  // order), into the same stretch of scratch_.
  std::vector<std::uint32_t> lefts(work.size());
  pool_->run(work.size(), [&](std::size_t c) {
    const int id = nodes[work[c].node]->node;
    const std::uint32_t f = tree.feature[id];
    const std::uint8_t missing = static_cast<std::uint8_t>(matrix_.bins(f));
    const std::uint8_t split = tree.split_bin[id];
    const bool default_left = tree.default_left[id] != 0;
    std::vector<std::uint32_t> rights;
    rights.reserve(work[c].end - work[c].begin);
    std::uint32_t* left = scratch_.data() + work[c].begin;
    for (std::uint32_t i = work[c].begin; i < work[c].end; ++i) {
      const std::uint32_t r = rows_[i];
      const std::uint8_t bin = matrix_.row(r)[f];
      if (bin == missing ? default_left : bin <= split)
        *left++ = r;
      else
        rights.push_back(r);
    }
    lefts[c] = static_cast<std::uint32_t>(left - (scratch_.data() + work[c].begin));
    std::copy(rights.begin(), rights.end(), left);
  });
  for (NodeWork* node : nodes) node->left_rows = 0;
  for (std::size_t c = 0; c < work.size(); ++c) nodes[work[c].node]->left_rows += lefts[c];
  // Each chunk's first left and right position in its node's run.
  std::vector<std::uint32_t> left_at(work.size()), right_at(work.size());
  for (std::size_t c = 0; c < work.size(); ++c) {
    const NodeWork& node = *nodes[work[c].node];
    const bool first = c == 0 || work[c - 1].node != work[c].node;
    left_at[c] = first ? node.begin : left_at[c - 1] + lefts[c - 1];
    right_at[c] = first ? node.begin + node.left_rows
                        : right_at[c - 1] + (work[c - 1].end - work[c - 1].begin - lefts[c - 1]);
  }
  // Pass 2: the chunks' lefts and rights to their places in rows_.
  pool_->run(work.size(), [&](std::size_t c) {
    const auto from = scratch_.begin() + work[c].begin;
    std::copy(from, from + lefts[c], rows_.begin() + left_at[c]);
    std::copy(from + lefts[c], scratch_.begin() + work[c].end, rows_.begin() + right_at[c]);
  });
}

void GradientBooster::update_margins(const Tree& tree) {
  // The tree in one compact array; a right child is always its left sibling + 1.
  struct Step {
    std::uint32_t feature;
    std::uint8_t bin, missing, default_left;
    int left;
    float value;
  };
  std::vector<Step> steps(tree.size());
  for (std::size_t n = 0; n < tree.size(); ++n)
    steps[n] = {tree.feature[n],
                tree.split_bin[n],
                static_cast<std::uint8_t>(matrix_.bins(tree.feature[n])),
                tree.default_left[n],
                tree.left[n],
                tree.value[n]};
  for_blocks(margins_.size(), *pool_, [&](std::size_t begin, std::size_t end) {
    for (std::size_t r = begin; r < end; ++r) {
      const std::uint8_t* bins = matrix_.row(r);
      int node = 0;
      while (steps[node].left >= 0) {
        const Step& s = steps[node];
        const std::uint8_t bin = bins[s.feature];
        const bool go_left = bin == s.missing ? s.default_left != 0 : bin <= s.bin;
        node = s.left + (go_left ? 0 : 1);
      }
      margins_[r] += steps[node].value;
    }
  });
}

}  // namespace archml::boost
