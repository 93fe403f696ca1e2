#include "archml/model/bundle.h"

#include <system_error>

#include "archml/core/error.h"
#include "archml/core/text_file.h"
#include "archml/version.h"

namespace archml::model {
namespace {

namespace fs = std::filesystem;

constexpr const char* kModelFile = "model.json";
constexpr const char* kMetadataFile = "bundle.json";

bool is_bundle_dir(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path / kMetadataFile, error) &&
         fs::is_regular_file(path / kModelFile, error);
}

nlohmann::json costs_json(const eval::CostMatrix& costs) {
  return {{"tn", costs.tn}, {"fp", costs.fp}, {"fn", costs.fn}, {"tp", costs.tp}};
}

eval::CostMatrix costs_from_json(const nlohmann::json& json) {
  return {json.at("tn").get<double>(), json.at("fp").get<double>(), json.at("fn").get<double>(),
          json.at("tp").get<double>()};
}

}  // namespace

Bundle::Bundle(Booster booster, features::FittedRecipe recipe, BundleMetadata metadata)
    : booster_(std::make_shared<const Booster>(std::move(booster))),
      recipe_(std::make_shared<const features::FittedRecipe>(std::move(recipe))),
      metadata_(std::move(metadata)) {
  if (metadata_.archml_version.empty()) metadata_.archml_version = ARCHML_VERSION;
}

Bundle Bundle::with_metadata(BundleMetadata metadata) const {
  Bundle copy;
  copy.booster_ = booster_;
  copy.recipe_ = recipe_;
  copy.metadata_ = std::move(metadata);
  if (copy.metadata_.archml_version.empty()) copy.metadata_.archml_version = ARCHML_VERSION;
  return copy;
}

fs::path Bundle::locate(const fs::path& path) {
  std::error_code error;
  if (!fs::exists(path, error))
    throw_not_found("no model at '" + path.string() +
                    "': pass a training output directory (archml train --out) or its bundle/");
  if (fs::is_regular_file(path, error)) {
    auto name = path.filename().string();
    if ((name == kMetadataFile || name == kModelFile) && is_bundle_dir(path.parent_path()))
      return path.parent_path();
  } else {
    if (is_bundle_dir(path)) return path;
    if (is_bundle_dir(path / "bundle")) return path / "bundle";
  }
  throw_not_found("'" + path.string() +
                  "' is not a model bundle: expected a directory holding bundle.json and "
                  "model.json, or a training output directory with bundle/ inside "
                  "(archml train --out DIR writes DIR/bundle/)");
}

nlohmann::json Bundle::metadata_json() const {
  const auto& m = metadata_;
  nlohmann::json schema = nlohmann::json::array();
  for (const auto& column : recipe_->input_schema())
    schema.push_back({{"name", column.name}, {"type", std::string(data::to_string(column.type))}});
  nlohmann::json importances = nlohmann::json::array();
  for (const auto& f : m.importances)
    importances.push_back({{"feature", f.feature},
                           {"weight", f.weight},
                           {"gain", f.gain},
                           {"cover", f.cover},
                           {"total_gain", f.total_gain},
                           {"total_cover", f.total_cover}});
  nlohmann::json timings = nlohmann::json::object();
  for (const auto& t : m.timings) timings[t.stage] = t.seconds;
  return {{"format", "archml-bundle"},
          {"format_version", kBundleFormatVersion},
          {"archml_version", m.archml_version},
          {"model_file", kModelFile},
          {"target", m.target.to_json()},
          {"objective", m.objective},
          {"cutoff", m.cutoff},
          {"cost_matrix", costs_json(m.costs)},
          {"input_schema", schema},
          {"features", recipe_->feature_names()},
          {"recipe", recipe_->to_json()},
          {"hyperparameters", m.hyperparameters},
          {"split", m.split.to_json()},
          {"data", {{"file", m.data_file}, {"hash", m.data_hash}, {"rows", m.data_rows}}},
          {"rounds", m.rounds},
          {"best_round", m.best_round},
          {"feature_importances", importances},
          {"metrics", m.metrics},
          {"timings_seconds", timings},
          {"tracking", m.tracking}};
}

void Bundle::save(const fs::path& directory) const {
  std::error_code error;
  fs::create_directories(directory, error);
  if (error)
    throw_io("cannot create bundle directory '" + directory.string() + "': " + error.message());
  core::write_text_file(directory / kModelFile, booster_->save_json());
  core::write_text_file(directory / kMetadataFile, metadata_json().dump(2) + "\n");
}

Bundle Bundle::load(const fs::path& path) {
  const fs::path directory = locate(path);
  const fs::path metadata_path = directory / kMetadataFile;
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(core::read_text_file(metadata_path, "bundle metadata"));
  } catch (const nlohmann::json::exception& error) {
    throw_invalid("'" + metadata_path.string() + "' is corrupt (not JSON: " + error.what() +
                  "); retrain the model or restore the file");
  }
  auto corrupt = [&](const std::string& why) -> Error {
    return Error(ErrorKind::kInvalidInput, "'" + metadata_path.string() + "' is corrupt: " + why +
                                               "; retrain the model or restore the file");
  };
  if (!json.is_object() || json.value("format", "") != "archml-bundle")
    throw corrupt("it is not an archml bundle description");
  if (json.value("format_version", 0) != kBundleFormatVersion)
    throw Error(ErrorKind::kUnsupported,
                "'" + metadata_path.string() + "' has bundle format version " +
                    json.value("format_version", nlohmann::json()).dump() + "; this archml (" +
                    ARCHML_VERSION + ") reads version " + std::to_string(kBundleFormatVersion));
  BundleMetadata m;
  std::optional<features::FittedRecipe> recipe;
  try {
    m.archml_version = json.at("archml_version").get<std::string>();
    m.target = TargetEncoding::from_json(json.at("target"));
    m.objective = json.at("objective").get<std::string>();
    m.cutoff = json.at("cutoff").get<double>();
    m.costs = costs_from_json(json.at("cost_matrix"));
    m.hyperparameters = json.at("hyperparameters");
    m.split = data::SplitSpec::from_json(json.at("split"));
    m.data_file = json.at("data").at("file").get<std::string>();
    m.data_hash = json.at("data").at("hash").get<std::string>();
    m.data_rows = json.at("data").at("rows").get<std::size_t>();
    m.rounds = json.at("rounds").get<int>();
    m.best_round = json.at("best_round").get<int>();
    for (const auto& f : json.at("feature_importances"))
      m.importances.push_back({f.at("feature").get<std::string>(), f.at("weight").get<double>(),
                               f.at("gain").get<double>(), f.at("cover").get<double>(),
                               f.at("total_gain").get<double>(),
                               f.at("total_cover").get<double>()});
    m.metrics = json.at("metrics");
    for (const auto& [stage, seconds] : json.at("timings_seconds").items())
      m.timings.push_back({stage, seconds.get<double>()});
    m.tracking = json.value("tracking", nlohmann::json::object());
    recipe.emplace(features::FittedRecipe::from_json(json.at("recipe")));
  } catch (const nlohmann::json::exception& error) {
    throw corrupt(error.what());
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::kInvalidInput) throw corrupt(error.what());
    throw;
  }
  const fs::path model_path = directory / kModelFile;
  std::optional<Booster> booster;
  try {
    booster.emplace(Booster::load_json(core::read_text_file(model_path, "bundle model")));
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::kIo) throw;
    throw Error(ErrorKind::kInvalidInput, "'" + model_path.string() +
                                              "' is not a readable XGBoost model: " + error.what() +
                                              "; retrain the model");
  }
  if (booster->num_features() != recipe->feature_names().size())
    throw corrupt("the model has " + std::to_string(booster->num_features()) +
                  " features but the recipe makes " +
                  std::to_string(recipe->feature_names().size()));
  return Bundle(std::move(*booster), std::move(*recipe), std::move(m));
}

}  // namespace archml::model
