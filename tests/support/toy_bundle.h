// A small trained binary-classification bundle for tests (and fuzz harnesses) that need a
// model on disk: the automatic recipe fitted on `rows` (a toy_binary_table, target y),
// XGBoost trained for `rounds` rounds on one thread, saved to `directory`.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "archml/data/table.h"
#include "archml/features/automatic_recipe.h"
#include "archml/model/bundle.h"
#include "archml/model/trainer.h"

namespace archml::testing {

inline void save_toy_bundle(const data::Table& rows, int rounds,
                            const std::filesystem::path& directory) {
  auto fitted = features::automatic_recipe(rows, "y").fit(rows, "y");
  const auto features = fitted.transform(rows);
  std::vector<float> labels;
  for (auto v : rows.column("y").ints()) labels.push_back(static_cast<float>(v));
  const auto matrix = model::DMatrix::from_dense(
      {features.data(), features.rows(), features.cols()}, labels, fitted.feature_names(), 1);
  auto trained = model::train(
      matrix, nullptr,
      model::Hyperparameters::parse({"num_round=" + std::to_string(rounds), "nthread=1"}));
  model::BundleMetadata metadata;
  metadata.target.column = "y";
  metadata.target.kind = model::TargetKind::kBinary;
  metadata.target.classes = {"0", "1"};
  metadata.objective = trained.resolved.objective;
  metadata.rounds = trained.rounds;
  metadata.best_round = trained.best_round;
  model::Bundle(std::move(trained.booster), std::move(fitted), metadata).save(directory);
}

}  // namespace archml::testing
