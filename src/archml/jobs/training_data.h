// The part of a training job before boosting, shared by `archml train` and the tuner's
// training objective (which does it once for all its trials): check the inputs, read the
// CSV, settle the target and the objective, split, fit the recipe on the training rows,
// transform every part once and build XGBoost's matrices of the training and validation
// parts. With tree_method hist both are quantised matrices, built once and then only read
// (model/trainer.h says why that makes them safe to share between trials). The raw table
// is released as the parts are transformed; the validation and test features stay for
// scoring.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "archml/boost/binned_matrix.h"
#include "archml/data/split.h"
#include "archml/data/table.h"
#include "archml/eval/cost.h"
#include "archml/features/fitted_recipe.h"
#include "archml/features/recipe.h"
#include "archml/jobs/train_job.h"
#include "archml/model/bundle.h"
#include "archml/model/dmatrix.h"
#include "archml/model/hyperparameters.h"
#include "archml/model/trainer.h"

namespace archml::jobs {

// Rows per chunk transformed by the recipe and per batch fed to XGBoost when the options
// leave it at 0: bounds the temporary copies held at once.
inline constexpr std::size_t kDefaultTrainingBatchRows = std::size_t{1} << 18;

// What can be checked without reading the data.
struct TrainingInputs {
  model::Hyperparameters hyperparameters;  // options.hyperparameters applied to the defaults
  std::optional<features::Recipe> recipe;  // nullopt: the automatic recipe
};

// Throws archml::Error: invalid hyperparameters, recipe or missing target (invalid
// input), an absent data or recipe file (not found).
TrainingInputs check_training_inputs(const TrainJobOptions& options);

struct TrainingData {
  model::BundleMetadata metadata;  // target, split and the data file's name, hash and rows
  data::CsvReport csv_report;      // rows skipped (--lenient) and text repaired in the read
  data::SplitRows split;
  features::Recipe recipe;
  bool automatic_recipe = false;
  std::optional<features::FittedRecipe> fitted;
  std::vector<float> train_labels, validation_labels, test_labels;
  // The rows of each part through the fitted recipe, in the part's order.
  features::FeatureMatrix validation_features, test_features;
  std::optional<model::DMatrix> train_matrix, validation_matrix;
  // With tree_method=archml: the training rows binned for archml's engine (no
  // train_matrix; validation_matrix is deferred and normally never built).
  std::optional<boost::BinnedMatrix> binned;
};

// Called as each stage starts: a short stage name (read, split, recipe, matrices) and a
// label for a terminal status line.
using StageStart = std::function<void(const std::string& stage, const std::string& label)>;

// Settles inputs.hyperparameters' objective (and num_class) against the target. Reading
// (unless options.csv names its own count), the recipe and the matrices use the context's
// threads (an nthread of 0 is set to them); its progress switch hides the reading bar.
// Throws archml::Error for data that cannot be trained on as asked.
TrainingData prepare_training_data(const JobContext& context, const TrainJobOptions& options,
                                   TrainingInputs& inputs, const StageStart& start_stage);

// The transformed rows as the model layer takes them (a view, not a copy).
model::DenseView dense_view(const features::FeatureMatrix& features);

// `count` row indices of a part of `rows` rows, evenly spaced over all of it (row
// i * rows / count), ascending; all of them when rows <= count. The hist bin cuts of a
// large training part are sketched from these rows.
std::vector<std::size_t> evenly_spaced_rows(std::size_t rows, std::size_t count);

// The raw columns the recipe reads, in its input schema's order.
std::vector<std::string> schema_names(const features::FittedRecipe& recipe);

// Fills in what training decided: objective, rounds, best round, importances, the
// resolved hyperparameters and the metrics of the round predictions use.
void record_trained_model(model::BundleMetadata& metadata, const model::Hyperparameters& hp,
                          const model::TrainedModel& trained);

// The cutoff of least total cost for binary scores of rows labelled 0/1.
eval::CostPoint cost_optimal_cutoff(std::span<const double> scores, std::span<const float> labels,
                                    const eval::CostMatrix& costs);

// Every round's metrics as OUT/metrics.json holds them (docs/training.md).
nlohmann::json metrics_json(const model::TrainedModel& trained);

}  // namespace archml::jobs
