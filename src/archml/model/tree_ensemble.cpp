#include "archml/model/tree_ensemble.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archml/core/error.h"
#include "archml/model/xgboost_math.h"

namespace archml::model {
namespace {

// XGBoost writes numbers in its JSON as strings ("8.002287E-3") in the model parameters.
float number_of(const nlohmann::json& value) {
  if (value.is_string()) return std::stof(value.get<std::string>());
  return value.get<float>();
}

std::size_t count_of(const nlohmann::json& value) {
  if (value.is_string()) return std::stoul(value.get<std::string>());
  return value.get<std::size_t>();
}

// common::Softmax of XGBoost 1.7: max-shifted, the sum in double, divided as float.
void softmax(float* values, std::size_t count) {
  float largest = values[0];
  for (std::size_t i = 1; i < count; ++i) largest = std::max(largest, values[i]);
  double sum = 0;
  for (std::size_t i = 0; i < count; ++i) {
    values[i] = expf(values[i] - largest);
    sum += values[i];
  }
  for (std::size_t i = 0; i < count; ++i) values[i] /= static_cast<float>(sum);
}

}  // namespace

std::optional<TreeEnsemble> TreeEnsemble::from_model_json(std::string_view model_json,
                                                          int iteration_end) {
  return from_model(model_json, false, iteration_end);
}

std::optional<TreeEnsemble> TreeEnsemble::from_model_ubjson(std::span<const std::uint8_t> model,
                                                            int iteration_end) {
  return from_model(std::string_view(reinterpret_cast<const char*>(model.data()), model.size()),
                    true, iteration_end);
}

std::optional<TreeEnsemble> TreeEnsemble::from_model(std::string_view model, bool ubjson,
                                                     int iteration_end) {
  TreeEnsemble ensemble;
  try {
    const nlohmann::json json =
        ubjson ? nlohmann::json::from_ubjson(model) : nlohmann::json::parse(model);
    const nlohmann::json& learner = json.at("learner");
    const nlohmann::json& booster = learner.at("gradient_booster");
    if (booster.at("name") != "gbtree") return std::nullopt;
    const std::string objective = learner.at("objective").at("name").get<std::string>();
    const nlohmann::json& params = learner.at("learner_model_param");
    const float base_score = number_of(params.at("base_score"));
    ensemble.num_features_ = count_of(params.at("num_feature"));
    const std::size_t classes = count_of(params.at("num_class"));
    if (objective == "binary:logistic" || objective == "reg:logistic") {
      ensemble.link_ = Link::kSigmoid;
      // LogisticRegression::ProbToMargin in float.
      ensemble.base_margin_ = -logf(1.0f / base_score - 1.0f);
    } else if (objective == "reg:squarederror" || objective == "reg:linear" ||
               objective == "reg:pseudohubererror" || objective == "reg:absoluteerror" ||
               objective == "binary:logitraw") {
      ensemble.base_margin_ = base_score;
    } else if (objective == "multi:softprob") {
      ensemble.link_ = Link::kSoftmax;
      ensemble.base_margin_ = base_score;
    } else {
      return std::nullopt;
    }
    ensemble.groups_ = std::max<std::size_t>(1, classes);
    if (count_of(params.value("num_target", nlohmann::json("1"))) != 1) return std::nullopt;

    const nlohmann::json& model = booster.at("model");
    const std::size_t parallel = count_of(model.at("gbtree_model_param").at("num_parallel_tree"));
    const nlohmann::json& trees = model.at("trees");
    const nlohmann::json& tree_info = model.at("tree_info");
    std::size_t tree_count = trees.size();
    if (iteration_end == 0) {
      const nlohmann::json& attributes = learner.value("attributes", nlohmann::json::object());
      if (attributes.contains("best_iteration"))
        iteration_end = std::stoi(attributes.at("best_iteration").get<std::string>()) + 1;
    }
    if (iteration_end > 0)
      tree_count = std::min(tree_count,
                            static_cast<std::size_t>(iteration_end) * parallel * ensemble.groups_);
    for (std::size_t t = 0; t < tree_count; ++t) {
      const nlohmann::json& tree = trees.at(t);
      for (const auto& type : tree.at("split_type"))
        if (type.get<int>() != 0) return std::nullopt;  // categorical splits
      const auto& left = tree.at("left_children");
      const auto& right = tree.at("right_children");
      const auto& feature = tree.at("split_indices");
      const auto& condition = tree.at("split_conditions");
      const auto& default_left = tree.at("default_left");
      const std::size_t base = ensemble.nodes_.size();
      ensemble.roots_.push_back(base);
      ensemble.group_.push_back(tree_info.at(t).get<std::uint32_t>());
      // Laid out breadth first with each node's children side by side (XGBoost reuses
      // pruned slots, so its own order does not guarantee it): a walk then steps to
      // `left + goes_right` without a hard-to-predict branch.
      const std::size_t size = left.size();
      std::vector<std::size_t> order{0};
      std::vector<std::int64_t> slot(size, -1);
      slot[0] = 0;
      for (std::size_t i = 0; i < order.size(); ++i) {
        const int l = left[order[i]].get<int>();
        if (l < 0) continue;
        const int r = right[order[i]].get<int>();
        for (const int child : {l, r}) {
          const auto c = static_cast<std::size_t>(child);
          if (child < 0 || c >= size || slot[c] >= 0) return std::nullopt;  // not a tree
          slot[c] = static_cast<std::int64_t>(order.size());
          order.push_back(c);
        }
      }
      for (const std::size_t n : order) {
        Node node;
        const int l = left[n].get<int>();
        node.left =
            l < 0 ? -1 : static_cast<std::int32_t>(base + slot[static_cast<std::size_t>(l)]);
        node.feature = feature[n].get<std::uint32_t>();
        if (node.left >= 0 && node.feature >= ensemble.num_features_) return std::nullopt;
        node.default_left = default_left[n].get<int>() != 0;
        node.value = condition[n].get<float>();
        ensemble.nodes_.push_back(node);
      }
      if (ensemble.group_.back() >= ensemble.groups_) return std::nullopt;
    }
  } catch (const nlohmann::json::exception& error) {
    throw_invalid(std::string("model.json is not an XGBoost model: ") + error.what());
  } catch (const std::logic_error& error) {  // stof/stoul on a malformed parameter
    throw_invalid(std::string("model.json has a malformed parameter: ") + error.what());
  }
  return ensemble;
}

float TreeEnsemble::tree_value(std::size_t tree, const float* row) const {
  const Node* node = &nodes_[roots_[tree]];
  while (node->left >= 0) {
    const float value = row[node->feature];
    const bool goes_right = std::isnan(value) ? !node->default_left : !(value < node->value);
    node = &nodes_[static_cast<std::size_t>(node->left) + goes_right];
  }
  return node->value;
}

void TreeEnsemble::add_tree_values(const float* rows, std::size_t row_count, float* margins) const {
  if (groups_ != 1) throw Error(ErrorKind::kInternal, "add_tree_values needs one output group");
  constexpr std::size_t kBlock = 64;
  for (std::size_t first = 0; first < row_count; first += kBlock) {
    const std::size_t count = std::min(kBlock, row_count - first);
    const float* block = rows + first * num_features_;
    for (std::size_t t = 0; t < roots_.size(); ++t)
      for (std::size_t r = 0; r < count; ++r)
        margins[first + r] += tree_value(t, block + r * num_features_);
  }
}

void TreeEnsemble::apply_link(const float* margins, float* out, std::size_t count) const {
  if (groups_ != 1) throw Error(ErrorKind::kInternal, "apply_link needs one output group");
  if (link_ == Link::kSigmoid)
    xgboost_sigmoid_all(margins, out, count);
  else
    std::copy(margins, margins + count, out);
}

void TreeEnsemble::predict(const float* rows, std::size_t row_count, float* out) const {
  // Rows go through the trees a block at a time: a tree's nodes stay in the L1 cache
  // for the whole block, and walks of different rows overlap in the CPU. Each row still
  // adds its trees' values in tree order, so the float sums are XGBoost's.
  constexpr std::size_t kBlock = 64;
  for (std::size_t first = 0; first < row_count; first += kBlock) {
    const std::size_t count = std::min(kBlock, row_count - first);
    float* values = out + first * groups_;
    std::fill(values, values + count * groups_, base_margin_);
    const float* block = rows + first * num_features_;
    for (std::size_t t = 0; t < roots_.size(); ++t) {
      const std::uint32_t group = group_[t];
      for (std::size_t r = 0; r < count; ++r)
        values[r * groups_ + group] += tree_value(t, block + r * num_features_);
    }
    for (std::size_t r = 0; r < count; ++r) {
      float* row = values + r * groups_;
      if (link_ == Link::kSigmoid)
        for (std::size_t g = 0; g < groups_; ++g) row[g] = xgboost_sigmoid(row[g]);
      else if (link_ == Link::kSoftmax)
        softmax(row, groups_);
    }
  }
}

}  // namespace archml::model
