#include "archml/boost/xgboost_json.h"

#include <array>
#include <charconv>

#include <nlohmann/json.hpp>

namespace archml::boost {
namespace {

// A float as XGBoost prints its parameters: the shortest text that reads back exactly.
std::string float_text(float value) {
  std::array<char, 32> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  (void)ec;  // 32 characters hold any float
  return std::string(buffer.data(), end);
}

nlohmann::json tree_json(const Tree& tree, int id, std::size_t num_feature) {
  const std::size_t n = tree.size();
  nlohmann::json parents = nlohmann::json::array();
  nlohmann::json conditions = nlohmann::json::array();
  nlohmann::json indices = nlohmann::json::array();
  nlohmann::json defaults = nlohmann::json::array();
  for (std::size_t i = 0; i < n; ++i) {
    const bool leaf = tree.left[i] < 0;
    parents.push_back(tree.parent[i] < 0 ? 2147483647 : tree.parent[i]);
    conditions.push_back(leaf ? tree.value[i] : tree.split_value[i]);
    indices.push_back(leaf ? 0u : tree.feature[i]);
    defaults.push_back(leaf ? 0 : static_cast<int>(tree.default_left[i]));
  }
  return {{"base_weights", tree.base_weight},
          {"categories", nlohmann::json::array()},
          {"categories_nodes", nlohmann::json::array()},
          {"categories_segments", nlohmann::json::array()},
          {"categories_sizes", nlohmann::json::array()},
          {"default_left", defaults},
          {"id", id},
          {"left_children", tree.left},
          {"loss_changes", tree.loss_change},
          {"parents", parents},
          {"right_children", tree.right},
          {"split_conditions", conditions},
          {"split_indices", indices},
          {"split_type", std::vector<int>(n, 0)},
          {"sum_hessian", tree.sum_hessian},
          {"tree_param",
           {{"num_deleted", "0"},
            {"num_feature", std::to_string(num_feature)},
            {"num_nodes", std::to_string(n)},
            {"size_leaf_vector", "0"}}}};
}

}  // namespace

std::string xgboost_json(const ModelDescription& model, std::span<const Tree> trees) {
  nlohmann::json tree_list = nlohmann::json::array();
  for (std::size_t t = 0; t < trees.size(); ++t)
    tree_list.push_back(tree_json(trees[t], static_cast<int>(t), model.num_feature));
  nlohmann::json attributes = nlohmann::json::object();
  for (const auto& [key, value] : model.attributes) attributes[key] = value;
  const nlohmann::json learner = {
      {"attributes", attributes},
      {"feature_names", model.feature_names},
      {"feature_types", model.feature_names.empty() ? nlohmann::json::array()
                                                    : nlohmann::json(std::vector<std::string>(
                                                          model.feature_names.size(), "float"))},
      {"gradient_booster",
       {{"model",
         {{"gbtree_model_param",
           {{"num_parallel_tree", "1"},
            {"num_trees", std::to_string(trees.size())},
            {"size_leaf_vector", "0"}}},
          {"tree_info", std::vector<int>(trees.size(), 0)},
          {"trees", tree_list}}},
        {"name", "gbtree"}}},
      {"learner_model_param",
       {{"base_score", float_text(static_cast<float>(model.base_score))},
        {"boost_from_average", "1"},
        {"num_class", "0"},
        {"num_feature", std::to_string(model.num_feature)},
        {"num_target", "1"}}},
      {"objective",
       {{"name", objective_name(model.objective)},
        {"reg_loss_param", {{"scale_pos_weight", float_text(model.scale_pos_weight)}}}}}};
  return nlohmann::json{{"learner", learner}, {"version", {1, 7, 4}}}.dump();
}

}  // namespace archml::boost
