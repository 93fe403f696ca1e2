#include "archml/jobs/train_job.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "archml/core/digest.h"
#include "archml/core/error.h"
#include "archml/core/page_advice.h"
#include "archml/core/text_file.h"
#include "archml/eval/binary_evaluation.h"
#include "archml/eval/cost.h"
#include "archml/eval/multiclass_evaluation.h"
#include "archml/eval/ranked_scores.h"
#include "archml/eval/regression.h"
#include "archml/jobs/training_data.h"
#include "archml/model/engine_trainer.h"
#include "archml/model/predictor.h"
#include "archml/model/target_encoding.h"
#include "archml/model/tree_ensemble.h"
#include "archml/version.h"

namespace archml::jobs {
namespace {

namespace fs = std::filesystem;

class Stages {
 public:
  explicit Stages(const std::function<void(const std::string&)>& on_stage) : on_stage_(on_stage) {}
  void start(const std::string& stage, const std::string& label) {
    stop();
    current_ = stage;
    started_ = std::chrono::steady_clock::now();
    if (on_stage_) on_stage_(label);
  }
  void stop() {
    if (current_.empty()) return;
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    auto found = std::find_if(timings_.begin(), timings_.end(),
                              [&](const model::StageTiming& t) { return t.stage == current_; });
    if (found == timings_.end())
      timings_.push_back({current_, seconds});
    else
      found->seconds += seconds;
    current_.clear();
  }
  const std::vector<model::StageTiming>& timings() const { return timings_; }

 private:
  const std::function<void(const std::string&)>& on_stage_;
  std::string current_;
  std::chrono::steady_clock::time_point started_;
  std::vector<model::StageTiming> timings_;
};

// Scores through the Predictor with the native tree evaluator the endpoint also uses, so
// the cutoff and the test metrics come from the path that serves; the booster's own
// prediction when the evaluator does not support the model.
model::Predictions score_part(const model::Predictor& predictor,
                              const std::optional<model::TreeEnsemble>& ensemble,
                              const features::FeatureMatrix& part, unsigned threads) {
  return ensemble ? predictor.predict_features(part, *ensemble, threads)
                  : predictor.predict_features(part);
}

nlohmann::json nan_as_null(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json();
}

nlohmann::json confusion_json(const eval::ConfusionMatrix& c) {
  return {{"tn", c.tn}, {"fp", c.fp}, {"fn", c.fn}, {"tp", c.tp}};
}

// Test metrics at the chosen cutoff; the part is only scored, never used to choose.
nlohmann::json evaluate_part(const model::TargetEncoding& target, const model::Predictions& scores,
                             const std::vector<float>& labels, double cutoff,
                             const eval::CostMatrix& costs) {
  using model::TargetKind;
  if (scores.rows == 0) return nlohmann::json::object();
  if (target.kind == TargetKind::kBinary) {
    std::vector<std::uint8_t> truth(labels.begin(), labels.end());
    eval::BinaryEvaluationOptions options;
    options.cutoff = cutoff;
    options.costs = costs;
    auto evaluation = eval::evaluate_binary(scores.scores, truth, options);
    return {{"rows", evaluation.rows},
            {"positives", evaluation.positives},
            {"auc", nan_as_null(evaluation.roc_auc)},
            {"aucpr", nan_as_null(evaluation.average_precision)},
            {"logloss", nan_as_null(evaluation.log_loss)},
            {"accuracy", nan_as_null(evaluation.accuracy)},
            {"cutoff", cutoff},
            {"confusion", confusion_json(evaluation.confusion)},
            {"precision", nan_as_null(evaluation.at_cutoff.precision)},
            {"recall", nan_as_null(evaluation.at_cutoff.recall)},
            {"total_cost", evaluation.at_cutoff.total_cost}};
  }
  if (target.kind == TargetKind::kMulticlass) {
    std::vector<std::int32_t> truth(labels.begin(), labels.end());
    auto evaluation = eval::evaluate_multiclass(scores.scores, scores.width, truth);
    return {{"rows", evaluation.rows},
            {"mlogloss", nan_as_null(evaluation.log_loss)},
            {"accuracy", nan_as_null(evaluation.accuracy)},
            {"macro_f1", nan_as_null(evaluation.macro_f1)},
            {"weighted_f1", nan_as_null(evaluation.weighted_f1)}};
  }
  std::vector<double> truth(labels.begin(), labels.end());
  auto metrics = eval::regression_metrics(scores.scores, truth);
  return {{"rows", metrics.rows},
          {"rmse", nan_as_null(metrics.rmse)},
          {"mae", nan_as_null(metrics.mae)},
          {"r2", nan_as_null(metrics.r2)},
          {"mape", nan_as_null(metrics.mape)}};
}

std::string stop_reason_name(model::StopReason reason) {
  switch (reason) {
    case model::StopReason::kCompleted:
      return "completed";
    case model::StopReason::kEarlyStopping:
      return "early_stopping";
    case model::StopReason::kCallback:
      return "stopped";
  }
  return "?";
}

std::string parameter_text(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// What the catalog keeps of a training job before it boosts: the inputs and settings.
void record_inputs(JobRecorder& recorder, const TrainJobOptions& options,
                   const model::Hyperparameters& hp, const data::SplitSpec& split) {
  recorder.log_parameters(training_parameters(options, hp, split));
}

// After the artifacts are written: final metrics, the files, and where the bundle came from.
void record_outputs(JobRecorder& recorder, const TrainJobResult& result,
                    const std::string& recipe_text, const std::string& recipe_file) {
  const auto& m = result.metadata;
  const std::int64_t step = m.rounds;
  for (const auto& [name, value] : result.validation_metrics.items())
    if (value.is_number() && name.rfind("validation:", 0) != 0)
      recorder.log_metric("validation:" + name, step, value.get<double>());
  for (const auto& [name, value] : result.test_metrics.items())
    if (value.is_number() && name != "rows" && name != "positives")
      recorder.log_metric("test:" + name, step, value.get<double>());
  double job_seconds = 0;
  for (const auto& timing : m.timings) job_seconds += timing.seconds;
  if (job_seconds > 0)
    recorder.log_metric("resource:rows_per_second", step,
                        static_cast<double>(m.data_rows) / job_seconds);
  recorder.log_parameters({{"best_round", std::to_string(m.best_round)},
                           {"rounds_trained", std::to_string(m.rounds)},
                           {"objective", m.objective}});

  const fs::path& out = result.out_dir;
  recorder.add_local_artifact("bundle/model.json", result.bundle_dir / "model.json",
                              "application/json");
  recorder.add_local_artifact("bundle/bundle.json", result.bundle_dir / "bundle.json",
                              "application/json");
  for (const char* name : {"metrics.json", "split.json", "summary.json"})
    recorder.add_local_artifact(name, out / name, "application/json");
  if (result.automatic_recipe)
    recorder.add_local_artifact("recipe.yaml", out / "recipe.yaml", "application/yaml");

  const std::string bundle = file_uri(result.bundle_dir);
  for (const auto& [kind, source] : training_sources(m, recipe_text, recipe_file))
    recorder.add_lineage({kind, source, "bundle", bundle});
}

}  // namespace

std::vector<std::pair<std::string, std::string>> training_parameters(
    const TrainJobOptions& options, const model::Hyperparameters& hp,
    const data::SplitSpec& split) {
  std::vector<std::pair<std::string, std::string>> parameters;
  const nlohmann::json hyperparameters = hp.to_json();
  for (const auto& [name, value] : hyperparameters.items())
    if (!value.is_null()) parameters.emplace_back(name, parameter_text(value));
  parameters.emplace_back("data", options.data_file);
  parameters.emplace_back("target", options.target);
  parameters.emplace_back("recipe",
                          options.recipe_file.empty() ? "automatic" : options.recipe_file);
  parameters.emplace_back("split", split.to_string());
  parameters.emplace_back("split_seed", std::to_string(split.seed));
  const auto& c = options.costs;
  parameters.emplace_back("cost_matrix", nlohmann::json({c.tn, c.fp, c.fn, c.tp}).dump());
  return parameters;
}

std::vector<std::pair<std::string, std::string>> training_sources(
    const model::BundleMetadata& metadata, const std::string& recipe_text,
    const std::string& recipe_file) {
  return {{"data", metadata.data_hash + " " + file_uri(metadata.data_file)},
          {"recipe", "sha256:" + core::sha256_hex(recipe_text) +
                         (recipe_file.empty() ? " automatic" : " " + file_uri(recipe_file))}};
}

TrainJobResult run_train_job(const JobContext& context, const TrainJobOptions& options) {
  using model::TargetKind;
  // Cheap checks first: a typo should not cost a read of the data.
  TrainingInputs inputs = check_training_inputs(options);
  model::Hyperparameters& hp = inputs.hyperparameters;
  std::error_code error;
  fs::create_directories(options.out_dir, error);
  if (error)
    throw_io("cannot create output directory '" + options.out_dir.string() +
             "': " + error.message());
  Stages stages(options.on_stage);
  TrainJobResult result;
  result.out_dir = options.out_dir;
  result.bundle_dir = options.out_dir / "bundle";
  TrainingData data = prepare_training_data(
      context, options, inputs,
      [&](const std::string& stage, const std::string& label) { stages.start(stage, label); });
  model::BundleMetadata& metadata = result.metadata;
  metadata = data.metadata;
  result.csv_report = data.csv_report;
  const data::SplitRows& split = data.split;
  const features::Recipe& recipe = data.recipe;
  std::optional<features::FittedRecipe>& fitted = data.fitted;
  const std::vector<float>& validation_labels = data.validation_labels;
  std::optional<model::DMatrix>& train_matrix = data.train_matrix;
  std::optional<model::DMatrix>& validation_matrix = data.validation_matrix;
  result.train_rows = split.train.size();
  result.validation_rows = split.validation.size();
  result.test_rows = split.test.size();
  result.excluded_rows = split.excluded;
  result.automatic_recipe = data.automatic_recipe;
  result.features = fitted->feature_names();
  if (options.recorder != nullptr) record_inputs(*options.recorder, options, hp, metadata.split);

  stages.start("boosting", "boosting");
  // XGBoost allocates and frees tens of MB of buffers every round; from here on malloc
  // keeps them for reuse instead of one page fault per 4 KB per round (page_advice.h).
  // Not earlier: the raw table's freed columns would then stay resident.
  core::reuse_freed_heap_memory();
  model::TrainOptions train_options;
  train_options.evaluate_train = options.evaluate_train;
  train_options.validation_rows = dense_view(data.validation_features);
  train_options.on_round = [&](const model::RoundMetrics& round) {
    if (options.on_round) options.on_round(round);
    if (options.recorder != nullptr)
      for (const auto& metric : round.metrics)
        options.recorder->log_metric(metric.name, round.round, metric.value);
    return model::RoundDecision::kContinue;
  };
  model::TrainedModel trained =
      model::uses_engine(hp)
          ? model::train_with_engine(*data.binned, data.train_labels, result.features,
                                     dense_view(data.validation_features), validation_labels, hp,
                                     train_options)
          : model::train(*train_matrix, &*validation_matrix, hp, train_options);
  train_matrix.reset();
  data.binned.reset();
  result.stop_reason = trained.stop_reason;
  metadata.costs = options.costs;
  record_trained_model(metadata, hp, trained);
  result.validation_metrics = nlohmann::json::object();
  for (const auto& [name, value] : metadata.metrics.items())
    if (name.rfind("validation:", 0) == 0) result.validation_metrics[name] = value;

  stages.start("predict", "scoring validation and test rows");
  std::optional<std::vector<float>> trained_validation_scores =
      std::move(trained.validation_scores);
  model::Bundle draft(std::move(trained.booster), std::move(*fitted), metadata);
  model::Predictor scorer(draft);
  const auto ensemble = model::TreeEnsemble::from_model_json(draft.booster().save_json());
  const auto threads = static_cast<unsigned>(hp.nthread);
  // The trainer (else XGBoost's prediction cache) scored the validation rows every
  // round and kept those scores; the native walk would score every row again.
  model::Predictions validation_scores =
      trained_validation_scores
          ? scorer.from_scores(*trained_validation_scores, split.validation.size())
          : scorer.predict_matrix(*validation_matrix);
  validation_matrix.reset();
  data.validation_features = features::FeatureMatrix();
  model::Predictions test_scores = score_part(scorer, ensemble, data.test_features, threads);
  data.test_features = features::FeatureMatrix();

  stages.start("evaluate", "choosing the cutoff and evaluating");
  if (metadata.target.kind == TargetKind::kBinary) {
    // The cost-optimal cutoff on validation; test stays unseen until it is scored below.
    auto best = cost_optimal_cutoff(validation_scores.scores, validation_labels, options.costs);
    metadata.cutoff = best.cutoff;
    result.validation_metrics["cost_at_cutoff"] = best.total_cost;
  }
  result.test_metrics =
      evaluate_part(metadata.target, test_scores, data.test_labels, metadata.cutoff, options.costs);
  stages.stop();

  metadata.timings = stages.timings();
  if (options.recorder != nullptr)
    metadata.tracking = bundle_tracking(options.recorder->run(), options.recorder->job_id());
  model::Bundle bundle = draft.with_metadata(metadata);
  bundle.save(result.bundle_dir);
  metadata = bundle.metadata();

  core::write_text_file(options.out_dir / "metrics.json", metrics_json(trained).dump(2) + "\n");
  if (result.automatic_recipe)
    core::write_text_file(options.out_dir / "recipe.yaml", recipe.to_yaml());
  nlohmann::json split_json = {
      {"spec", metadata.split.to_json()},
      {"target", options.target},
      {"data",
       {{"file", metadata.data_file}, {"hash", metadata.data_hash}, {"rows", metadata.data_rows}}},
      {"rows",
       {{"train", result.train_rows},
        {"validation", result.validation_rows},
        {"test", result.test_rows},
        {"excluded_missing_target", result.excluded_rows}}},
      {"recompute",
       "data::split_rows(read_csv(file), SplitSpec::from_json(spec), target) on a file with "
       "this hash gives the same rows"}};
  core::write_text_file(options.out_dir / "split.json", split_json.dump(2) + "\n");
  nlohmann::json timings = nlohmann::json::object();
  for (const auto& t : metadata.timings) timings[t.stage] = t.seconds;
  nlohmann::json summary = {{"archml_version", ARCHML_VERSION},
                            {"target", metadata.target.to_json()},
                            {"objective", metadata.objective},
                            {"features", result.features},
                            {"automatic_recipe", result.automatic_recipe},
                            {"rounds", metadata.rounds},
                            {"best_round", metadata.best_round},
                            {"stop_reason", stop_reason_name(result.stop_reason)},
                            {"cutoff", metadata.cutoff},
                            {"validation", result.validation_metrics},
                            {"test", result.test_metrics},
                            {"split", split_json.at("rows")},
                            {"timings_seconds", timings}};
  core::write_text_file(options.out_dir / "summary.json", summary.dump(2) + "\n");
  if (options.recorder != nullptr)
    record_outputs(*options.recorder, result, recipe.to_yaml(), options.recipe_file);
  return result;
}

}  // namespace archml::jobs
