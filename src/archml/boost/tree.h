// One regression tree as the engine grows it and XGBoost's JSON stores it: nodes in
// arrays, node 0 the root, children numbered in the order nodes were expanded. A node
// with left == -1 is a leaf whose value is its (eta-scaled) weight. An internal node
// sends a row left when its feature's value is < split_value (bin <= split_bin on binned
// rows), and a missing value (NaN) to default_left's side.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "archml/boost/binned_matrix.h"

namespace archml::boost {

struct Tree {
  std::vector<int> left, right, parent;
  std::vector<std::uint32_t> feature;
  std::vector<std::uint8_t> split_bin;
  std::vector<float> split_value;
  std::vector<std::uint8_t> default_left;
  std::vector<float> value;        // leaf value (eta applied); for internal nodes unused
  std::vector<float> base_weight;  // the node's weight before eta
  std::vector<float> loss_change;
  std::vector<float> sum_hessian;

  std::size_t size() const { return left.size(); }
  bool is_leaf(int node) const { return left[node] < 0; }

  // Appends a leaf; returns its index.
  int add_node(int parent_node, float weight, float hessian) {
    left.push_back(-1);
    right.push_back(-1);
    parent.push_back(parent_node);
    feature.push_back(0);
    split_bin.push_back(0);
    split_value.push_back(0);
    default_left.push_back(0);
    value.push_back(0);
    base_weight.push_back(weight);
    loss_change.push_back(0);
    sum_hessian.push_back(hessian);
    return static_cast<int>(left.size()) - 1;
  }

  // The leaf value of a float row.
  float predict(const float* row) const {
    int node = 0;
    while (!is_leaf(node)) {
      const float v = row[feature[node]];
      const bool go_left = std::isnan(v) ? default_left[node] != 0 : v < split_value[node];
      node = go_left ? left[node] : right[node];
    }
    return value[node];
  }

  // The leaf value of a binned row of `matrix`.
  float predict_binned(const BinnedMatrix& matrix, const std::uint8_t* row) const {
    int node = 0;
    while (!is_leaf(node)) {
      const std::uint32_t f = feature[node];
      const std::uint8_t bin = row[f];
      const bool go_left = bin == matrix.bins(f) ? default_left[node] != 0 : bin <= split_bin[node];
      node = go_left ? left[node] : right[node];
    }
    return value[node];
  }
};

}  // namespace archml::boost
