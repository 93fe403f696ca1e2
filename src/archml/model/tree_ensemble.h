// A native evaluator of a bundle's gradient-boosted trees, for the serving hot path.
// XGBoost 1.7's C prediction parses a JSON config and dispatches to its thread pool on
// every call, which costs hundreds of microseconds for one row; walking the trees here
// costs well under one. The arithmetic is XGBoost's: float32 sums starting from the base
// margin, trees in order, `value < split` goes left, NaN takes the default branch, then
// the objective's float32 link (sigmoid, softmax or identity). Tests check the scores are
// bit-identical to Booster::predict on many rows.
//
// Only what archml trains is supported: gbtree with numeric splits and the objectives
// below. from_model_json() returns nothing for anything else; callers then fall back to
// the Booster. Immutable once built; predict() may be called from several threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace archml::model {

class TreeEnsemble {
 public:
  // `model_json`: XGBoost's JSON model (Booster::save_json, a bundle's model.json).
  // `iteration_end`: rounds to use, 0 for the best round when recorded else all (as
  // Booster::predict). Throws archml::Error when the JSON is not an XGBoost model.
  static std::optional<TreeEnsemble> from_model_json(std::string_view model_json,
                                                     int iteration_end = 0);
  // The same from the model in UBJSON (Booster::save_ubjson), which XGBoost writes and
  // archml reads several times faster: the trainer reads each round's new tree so.
  static std::optional<TreeEnsemble> from_model_ubjson(std::span<const std::uint8_t> model,
                                                       int iteration_end = 0);

  std::size_t num_features() const { return num_features_; }
  // Values per row: the class count for multi-class models, else 1.
  std::size_t width() const { return groups_; }

  // `rows` is row-major rows x num_features(); `out` receives rows x width() values
  // (probabilities for classifiers, the response for regression), as Booster::predict.
  void predict(const float* rows, std::size_t row_count, float* out) const;

  // The pieces of predict() for a caller that keeps margins between calls (one output
  // group only): the margin every row starts from, each tree's value added in tree
  // order, and the objective's link.
  float base_margin() const { return base_margin_; }
  void add_tree_values(const float* rows, std::size_t row_count, float* margins) const;
  void apply_link(const float* margins, float* out, std::size_t count) const;

 private:
  enum class Link { kIdentity, kSigmoid, kSoftmax };
  struct Node {
    std::int32_t left = -1;  // -1 marks a leaf; the right child follows the left one
    std::uint32_t feature = 0;
    bool default_left = false;
    float value = 0;  // split condition, or the leaf value
  };

  static std::optional<TreeEnsemble> from_model(std::string_view model, bool ubjson,
                                                int iteration_end);
  float tree_value(std::size_t tree, const float* row) const;

  std::vector<Node> nodes_;
  std::vector<std::size_t> roots_;    // first node of each tree
  std::vector<std::uint32_t> group_;  // output group of each tree
  std::size_t groups_ = 1;
  std::size_t num_features_ = 0;
  float base_margin_ = 0;
  Link link_ = Link::kIdentity;
};

}  // namespace archml::model
