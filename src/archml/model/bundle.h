// The model bundle: everything needed to score raw rows exactly as training evaluated
// them, in one directory (see docs/training.md):
//   model.json   the XGBoost model in XGBoost's JSON format (Python's xgboost loads it)
//   bundle.json  metadata: archml version, target and classes, objective, fitted recipe,
//                input schema, cutoff and cost matrix, resolved hyperparameters, split
//                spec and data hash, feature importances, final metrics, stage timings
// A training job writes it to OUT/bundle/; load() takes either that directory, the
// training job's OUT directory, or the path of bundle.json or model.json in it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archml/data/split.h"
#include "archml/eval/cost.h"
#include "archml/features/fitted_recipe.h"
#include "archml/model/booster.h"
#include "archml/model/target_encoding.h"

namespace archml::model {

inline constexpr int kBundleFormatVersion = 1;

struct StageTiming {
  std::string stage;  // read, split, recipe, matrices, boosting, predict, evaluate
  double seconds = 0;
};

struct BundleMetadata {
  std::string archml_version;  // filled by save() when empty
  TargetEncoding target;
  std::string objective;
  // Binary targets: rows with P(positive) >= cutoff are flagged. Chosen on validation.
  double cutoff = 0.5;
  eval::CostMatrix costs;
  nlohmann::json hyperparameters;  // the resolved set (Hyperparameters::to_json + resolved)
  data::SplitSpec split;
  std::string data_file;  // as given to the job
  std::string data_hash;  // "xxh64:<16 hex digits>" of the file bytes, see docs/training.md
  std::size_t data_rows = 0;
  std::vector<FeatureImportance> importances;
  nlohmann::json metrics = nlohmann::json::object();  // final "validation:auc" -> value, ...
  std::vector<StageTiming> timings;
  int rounds = 0;      // rounds trained
  int best_round = 0;  // the round predictions use
  // Where the training job was recorded ({"experiment", "run", "run_id"}), so later jobs
  // on this bundle join its run; empty when training was not recorded. Opaque here.
  nlohmann::json tracking = nlohmann::json::object();
};

class Bundle {
 public:
  Bundle(Booster booster, features::FittedRecipe recipe, BundleMetadata metadata);

  // Throws archml::Error: not found when `path` holds no bundle (naming what was looked
  // for), invalid input when a file is corrupt or of another format version.
  static Bundle load(const std::filesystem::path& path);
  // The bundle directory `path` stands for (see above), without loading it.
  static std::filesystem::path locate(const std::filesystem::path& path);

  // Creates `directory` if needed and writes model.json and bundle.json.
  void save(const std::filesystem::path& directory) const;

  const Booster& booster() const { return *booster_; }
  const features::FittedRecipe& recipe() const { return *recipe_; }
  const BundleMetadata& metadata() const { return metadata_; }
  // bundle.json's content.
  nlohmann::json metadata_json() const;
  // The same model and recipe (shared, not copied) under other metadata, e.g. once the
  // cutoff has been chosen with this bundle's predictions.
  Bundle with_metadata(BundleMetadata metadata) const;

 private:
  Bundle() = default;

  std::shared_ptr<const Booster> booster_;
  std::shared_ptr<const features::FittedRecipe> recipe_;
  BundleMetadata metadata_;
};

}  // namespace archml::model
