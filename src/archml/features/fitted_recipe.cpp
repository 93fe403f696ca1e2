#include "archml/features/fitted_recipe.h"

#include "archml/core/error.h"
#include "archml/features/plan.h"
#include "archml/features/row_table.h"

namespace archml::features {
namespace {

constexpr std::string_view kFormat = "archml.fitted_recipe";
constexpr int kFittedRecipeVersion = 1;

}  // namespace

FittedRecipe::FittedRecipe(std::string target, std::vector<InputColumn> columns,
                           std::vector<FittedStep> steps)
    : target_(std::move(target)), columns_(std::move(columns)), steps_(std::move(steps)) {
  auto plan = std::make_shared<const Plan>(columns_, steps_, target_);
  std::vector<std::string> text;
  for (const auto& column : plan->frame()) {
    if (column.is_text) {
      text.push_back(column.name);
      continue;
    }
    if (!column.is_indicator) checked_features_.push_back(features_.size());  // not 0/1
    features_.push_back(column.name);
    feature_slots_.push_back(column.slot);
  }
  if (!text.empty()) {
    std::string names;
    for (const auto& name : text) names += (names.empty() ? "'" : ", '") + name + "'";
    throw_invalid("the recipe leaves text column(s) " + names +
                  " unencoded; add a one_hot step for categories or a drop step for IDs");
  }
  std::vector<bool> needed = plan->needed_inputs(feature_slots_);
  for (std::size_t i = 0; i < columns_.size(); ++i)
    if (needed[i]) schema_.push_back(columns_[i]);
  plan_ = std::move(plan);
}

namespace {

// Whether any of the first `rows` values of a `checked` source overflows a feature: one
// pass down each, which the compiler vectorises, not a test per cell of the row-wise copy.
bool any_overflows(std::size_t rows, const std::vector<const double*>& sources,
                   const std::vector<std::size_t>& checked) {
  double hits = 0;  // a sum of 1.0s (exact): GCC vectorises it, an OR of bools it does not
  for (std::size_t f : checked) {
    const double* values = sources[f];
    for (std::size_t i = 0; i < rows; ++i) hits += overflows_feature(values[i]) ? 1.0 : 0.0;
  }
  return hits != 0;
}

}  // namespace

// Names the first value of the block, in row order, that overflows a feature, among the
// rows the caller wants (rows it skips may hold anything).
void FittedRecipe::refuse_non_finite(
    const Block& block, const std::vector<const double*>& sources,
    const std::function<float*(std::size_t row)>& destination) const {
  for (std::size_t i = 0; i < block.size(); ++i) {
    if (destination(block.begin + i) == nullptr) continue;
    for (std::size_t f = 0; f < sources.size(); ++f)
      if (overflows_feature(sources[f][i])) throw_non_finite(features_[f], block.begin + i + 1);
  }
}

FeatureMatrix FittedRecipe::transform(const data::Table& table, unsigned threads) const {
  FeatureMatrix matrix(table.row_count(), features_);
  transform_into(
      table, 0, table.row_count(), [&](std::size_t row) { return matrix.row(row); }, threads);
  return matrix;
}

void FittedRecipe::transform_into(const data::Table& table, std::size_t begin, std::size_t end,
                                  const std::function<float*(std::size_t row)>& destination,
                                  unsigned threads) const {
  const std::size_t width = features_.size();
  plan_->run(
      table, feature_slots_,
      [&](const Block& block) {
        // Row by row, so each output row is written sequentially; the block's source
        // columns (8192 doubles each) stay in cache meanwhile.
        std::vector<const double*> sources;
        for (std::size_t slot : feature_slots_) sources.push_back(block.slot(slot));
        if (any_overflows(block.size(), sources, checked_features_))
          refuse_non_finite(block, sources, destination);
        for (std::size_t i = 0; i < block.size(); ++i) {
          float* cell = destination(block.begin + i);
          if (cell == nullptr) continue;
          for (std::size_t f = 0; f < width; ++f) cell[f] = static_cast<float>(sources[f][i]);
        }
      },
      threads, begin, end);
}

FeatureMatrix FittedRecipe::transform_rows(const std::vector<std::string>& columns,
                                           const std::vector<std::vector<std::string_view>>& rows,
                                           unsigned threads) const {
  return transform(table_from_text_rows(schema_, columns, rows), threads);
}

nlohmann::json FittedRecipe::to_json() const {
  nlohmann::json json;
  json["format"] = kFormat;
  json["version"] = kFittedRecipeVersion;
  json["target"] = target_;
  nlohmann::json columns = nlohmann::json::array();
  for (const auto& column : columns_)
    columns.push_back({{"name", column.name}, {"type", data::to_string(column.type)}});
  json["columns"] = std::move(columns);
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& step : steps_) steps.push_back(fitted_step_to_json(step));
  json["steps"] = std::move(steps);
  // Redundant with the steps; kept so a reader can see the features without archml.
  json["features"] = features_;
  return json;
}

FittedRecipe FittedRecipe::from_json(const nlohmann::json& json) {
  if (!json.is_object() || json.value("format", "") != kFormat)
    throw_invalid("not a fitted recipe: expected \"format\": \"archml.fitted_recipe\"");
  if (json.value("version", 0) != kFittedRecipeVersion)
    throw_invalid("fitted recipe version " + json.value("version", nlohmann::json()).dump() +
                  " is not supported; this archml reads version " +
                  std::to_string(kFittedRecipeVersion));
  std::string target;
  std::vector<InputColumn> columns;
  std::vector<FittedStep> steps;
  std::vector<std::string> features;
  try {
    target = json.at("target").get<std::string>();
    for (const auto& column : json.at("columns"))
      columns.push_back({column.at("name").get<std::string>(),
                         data::parse_column_type(column.at("type").get<std::string>())});
    std::size_t index = 0;
    for (const auto& step : json.at("steps")) steps.push_back(fitted_step_from_json(step, ++index));
    features = json.at("features").get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& error) {
    throw_invalid(std::string("fitted recipe: ") + error.what());
  }
  FittedRecipe recipe(std::move(target), std::move(columns), std::move(steps));
  if (recipe.feature_names() != features)
    throw_invalid(
        "fitted recipe: its steps make features other than the ones it lists; "
        "the file was edited or is damaged");
  return recipe;
}

}  // namespace archml::features
