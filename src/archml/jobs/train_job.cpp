#include "archml/jobs/train_job.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <set>

#include "archml/core/content_hash.h"
#include "archml/core/error.h"
#include "archml/core/sha256.h"
#include "archml/core/text_file.h"
#include "archml/data/csv_reader.h"
#include "archml/data/table_take.h"
#include "archml/eval/binary_evaluation.h"
#include "archml/eval/cost.h"
#include "archml/eval/multiclass_evaluation.h"
#include "archml/eval/ranked_scores.h"
#include "archml/eval/regression.h"
#include "archml/features/automatic_recipe.h"
#include "archml/features/recipe.h"
#include "archml/model/dmatrix.h"
#include "archml/model/predictor.h"
#include "archml/model/target_encoding.h"
#include "archml/version.h"

namespace archml::jobs {
namespace {

namespace fs = std::filesystem;
using Rows = std::vector<std::uint32_t>;

constexpr std::size_t kDefaultBatchRows = std::size_t{1} << 18;
// Rows the recipe is first fitted on to learn which raw columns it reads (see
// fit_table_for), so that columns it drops unread are never copied.
constexpr std::size_t kProbeRows = 1000;
// Rows the hist bin cuts are sketched from. Sketching every training row costs as much as
// binning them; quantiles of 200,000 rows place 256 bins as well (LightGBM's
// bin_construct_sample_cnt makes the same choice). A value never seen in the sample still
// lands in the nearest bin; only a category rarer than about 1 in 200,000 rows can share
// a bin with its neighbour.
constexpr std::size_t kCutSampleRows = 200'000;

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

// The objective follows the target unless the user chose one; a text target with many
// classes must say multi:softprob explicitly, as label inference stops at 32 classes.
void settle_objective(model::Hyperparameters& hp, model::TargetEncoding& target,
                      const data::Column& column) {
  using model::TargetKind;
  if (hp.objective) {
    const std::string& objective = *hp.objective;
    if (objective == model::kRegSquaredError) {
      if (!column.is_numeric() || column.type() == data::ColumnType::kBool)
        throw_invalid("objective=reg:squarederror needs a numeric target; '" + column.name() +
                      "' holds text");
      target.kind = TargetKind::kContinuous;
      target.classes.clear();
      target.by_class_name = false;
      return;
    }
    TargetKind wanted =
        objective == model::kBinaryLogistic ? TargetKind::kBinary : TargetKind::kMulticlass;
    if (wanted != target.kind)
      throw_invalid("objective=" + objective + " does not fit target '" + column.name() +
                    "', which has " +
                    (target.kind == TargetKind::kContinuous
                         ? std::string("continuous values")
                         : std::to_string(target.classes.size()) + " classes"));
  }
  switch (target.kind) {
    case TargetKind::kBinary:
      hp.set("objective", model::kBinaryLogistic);
      break;
    case TargetKind::kMulticlass:
      hp.set("objective", model::kMultiSoftprob);
      if (!hp.num_class) hp.set("num_class", std::to_string(target.classes.size()));
      break;
    case TargetKind::kContinuous:
      hp.set("objective", model::kRegSquaredError);
      break;
  }
}

Rows head(const Rows& rows, std::size_t count) {
  return Rows(rows.begin(), rows.begin() + std::min(count, rows.size()));
}

// Every k-th entry, so the sample spans the whole part whatever its order.
Rows evenly_spaced(const Rows& rows, std::size_t count) {
  Rows sample;
  if (count == 0 || rows.empty()) return sample;
  const std::size_t stride = std::max<std::size_t>(1, rows.size() / count);
  for (std::size_t i = 0; i < rows.size() && sample.size() < count; i += stride)
    sample.push_back(rows[i]);
  return sample;
}

// A column standing in for one the recipe never reads: every row missing, so fitting
// sees the right names and types without the copy of, say, six million account IDs.
data::Column placeholder(const data::Column& like, std::size_t rows) {
  data::Column column(like.name(), like.type());
  switch (like.type()) {
    case data::ColumnType::kInt64:
      column.mutable_ints().assign(rows, 0);
      break;
    case data::ColumnType::kFloat64:
      column.mutable_floats().assign(rows, NAN);
      break;
    case data::ColumnType::kBool:
      column.mutable_bools().assign(rows, 0);
      break;
    case data::ColumnType::kString:
      column.mutable_codes().assign(rows, data::Column::kMissingCode);
      break;
  }
  column.mutable_missing_mask().assign(rows, 1);
  return column;
}

// `read` completed to the columns of `layout`, in its order: columns `read` lacks become
// placeholders shaped like layout's.
data::Table with_placeholders(data::Table read, const data::Table& layout, std::size_t rows) {
  data::Table result;
  for (const auto& column : layout.columns()) {
    auto index = read.find(column.name());
    if (index >= 0)
      result.add_column(std::move(read.mutable_column(static_cast<std::size_t>(index))));
    else
      result.add_column(placeholder(column, rows));
  }
  return result;
}

// Names of the columns a recipe reads, learned by fitting it on a few rows: which
// columns a step reads depends on names and types, not values. Throws what the fit throws.
std::set<std::string> columns_read(const features::Recipe& recipe, const data::Table& rows,
                                   const std::string& target) {
  std::set<std::string> needed = {target};
  const features::FittedRecipe fitted = recipe.fit(rows, target);
  for (const auto& column : fitted.input_schema()) needed.insert(column.name);
  return needed;
}

// The training rows as Recipe::fit needs them: every column of `layout` (the file's),
// but only those the recipe reads are copied; the rest are placeholders.
data::Table fit_table_for(const data::Table& table, const data::Table& layout,
                          const features::Recipe& recipe, const std::string& target,
                          const Rows& train) {
  std::set<std::string> needed;
  try {
    needed = columns_read(recipe,
                          with_placeholders(data::take_rows(table, head(train, kProbeRows)), layout,
                                            std::min(train.size(), kProbeRows)),
                          target);
  } catch (const Error&) {
    // The real fit will report the problem.
    return with_placeholders(data::take_rows(table, train), layout, train.size());
  }
  std::vector<std::string> names;
  for (const auto& name : needed)
    if (table.find(name) >= 0) names.push_back(name);
  return with_placeholders(data::take_rows(table, train, names), layout, train.size());
}

// The first rows of a plain (not gzipped) CSV file, read as the whole file would be:
// enough to learn which columns a recipe reads before reading millions of rows.
// nullopt when the file is compressed or its first 64 KiB hold no complete data row.
std::optional<data::Table> read_first_rows(const std::string& path, data::CsvOptions csv) {
  if (path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::string text(std::size_t{1} << 16, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  const auto last_newline = text.rfind('\n');
  if (last_newline == std::string::npos) return std::nullopt;
  text.resize(last_newline + 1);
  csv.progress_label.clear();
  csv.columns.clear();
  try {
    data::Table rows = data::read_csv_text(text, csv, nullptr, path);
    if (rows.row_count() == 0) return std::nullopt;
    return rows;
  } catch (const Error&) {
    return std::nullopt;  // a quoted newline cut in half, say: read every column
  }
}

std::vector<std::string> schema_names(const features::FittedRecipe& recipe) {
  std::vector<std::string> names;
  for (const auto& column : recipe.input_schema()) names.push_back(column.name);
  return names;
}

// Rows of `part` through the recipe, a batch at a time, as XGBoost's iterator wants them.
// The last batch's features live in `holder` until the next call.
model::DMatrix quantile_matrix(const data::Table& table, const Rows& part,
                               const std::vector<float>& labels,
                               const features::FittedRecipe& recipe, std::size_t batch_rows,
                               const model::DMatrix::QuantileOptions& options) {
  const auto columns = schema_names(recipe);
  auto holder = std::make_shared<features::FeatureMatrix>();
  const std::size_t batches = (part.size() + batch_rows - 1) / batch_rows;
  model::DMatrix::BatchSource source =
      [&, holder, batches](std::size_t index) -> std::optional<model::DenseBatch> {
    if (index >= batches) return std::nullopt;
    const std::size_t begin = index * batch_rows;
    const std::size_t count = std::min(batch_rows, part.size() - begin);
    std::span<const std::uint32_t> rows(part.data() + begin, count);
    *holder = recipe.transform(data::take_rows(table, rows, columns));
    return model::DenseBatch{model::DenseView{holder->data(), holder->rows(), holder->cols()},
                             std::span<const float>(labels.data() + begin, count)};
  };
  return model::DMatrix::quantile_from_batches(source, recipe.feature_names(), options);
}

model::DMatrix dense_matrix(const data::Table& table, const Rows& part,
                            const std::vector<float>& labels, const features::FittedRecipe& recipe,
                            unsigned nthread) {
  auto features = recipe.transform(data::take_rows(table, part, schema_names(recipe)));
  return model::DMatrix::from_dense(
      model::DenseView{features.data(), features.rows(), features.cols()}, labels,
      recipe.feature_names(), nthread);
}

// Scores through the Predictor itself, so the cutoff and the test metrics come from the
// path that serves.
model::Predictions predict_part(const model::Predictor& predictor, const data::Table& table,
                                const Rows& part, std::size_t batch_rows) {
  const auto columns = schema_names(predictor.bundle().recipe());
  model::Predictions all;
  all.rows = part.size();
  for (std::size_t begin = 0; begin < part.size(); begin += batch_rows) {
    const std::size_t count = std::min(batch_rows, part.size() - begin);
    auto batch = predictor.predict(data::take_rows(
        table, std::span<const std::uint32_t>(part.data() + begin, count), columns));
    all.width = batch.width;
    all.scores.insert(all.scores.end(), batch.scores.begin(), batch.scores.end());
    all.labels.insert(all.labels.end(), batch.labels.begin(), batch.labels.end());
  }
  return all;
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

nlohmann::json metrics_json(const model::TrainedModel& trained) {
  nlohmann::json rounds = nlohmann::json::array();
  std::vector<std::string> names;
  for (const auto& round : trained.history) {
    nlohmann::json entry = {{"round", round.round}};
    for (const auto& metric : round.metrics) {
      entry[metric.name] = nan_as_null(metric.value);
      if (std::find(names.begin(), names.end(), metric.name) == names.end())
        names.push_back(metric.name);
    }
    rounds.push_back(std::move(entry));
  }
  nlohmann::json series = nlohmann::json::object();
  for (const auto& name : names) {
    nlohmann::json values = nlohmann::json::array();
    for (const auto& round : rounds) values.push_back(round.value(name, nlohmann::json()));
    series[name] = std::move(values);
  }
  return {{"metrics", names},
          {"rounds", rounds},
          {"series", series},
          {"rounds_trained", trained.rounds},
          {"best_round", trained.best_round}};
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
  recorder.log_parameters(parameters);
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
  recorder.add_lineage({"data", m.data_hash + " " + file_uri(m.data_file), "bundle", bundle});
  recorder.add_lineage({"recipe",
                        "sha256:" + core::sha256_hex(recipe_text) +
                            (recipe_file.empty() ? " automatic" : " " + file_uri(recipe_file)),
                        "bundle", bundle});
}

}  // namespace

TrainJobResult run_train_job(const TrainJobOptions& options) {
  using model::TargetKind;
  // Cheap checks first: a typo should not cost a read of the data.
  model::Hyperparameters hp = model::Hyperparameters::parse(options.hyperparameters);
  std::optional<features::Recipe> user_recipe;
  if (!options.recipe_file.empty())
    user_recipe = features::Recipe::parse(core::read_text_file(options.recipe_file, "recipe file"),
                                          options.recipe_file);
  if (options.target.empty()) throw_invalid("--target is required: name the column to predict");
  std::error_code error;
  if (!fs::exists(options.data_file, error))
    throw_not_found("data file '" + options.data_file + "' does not exist");
  fs::create_directories(options.out_dir, error);
  if (error)
    throw_io("cannot create output directory '" + options.out_dir.string() +
             "': " + error.message());
  const std::size_t batch_rows = options.batch_rows > 0 ? options.batch_rows : kDefaultBatchRows;

  Stages stages(options.on_stage);
  TrainJobResult result;
  result.out_dir = options.out_dir;
  result.bundle_dir = options.out_dir / "bundle";
  model::BundleMetadata& metadata = result.metadata;

  stages.start("read", "reading " + options.data_file);
  // With a recipe, only the columns it reads (and the target and split column) are read
  // at all: the IDs a recipe drops are often most of the reading time and memory.
  std::optional<data::Table> layout;
  data::CsvOptions csv = options.csv;
  if (user_recipe && csv.columns.empty()) {
    layout = read_first_rows(options.data_file, csv);
    try {
      if (layout) {
        std::set<std::string> needed = columns_read(*user_recipe, *layout, options.target);
        if (options.split && !options.split->column.empty()) needed.insert(options.split->column);
        csv.columns.assign(needed.begin(), needed.end());
      }
    } catch (const Error&) {
      layout.reset();  // the real fit will report the problem on the whole file
    }
  }
  data::Table table = data::read_csv(options.data_file, csv);
  if (!layout) layout = data::take_rows(table, Rows{}, {});
  if (table.row_count() == 0)
    throw_invalid("'" + options.data_file + "' has no data rows: nothing to train on");
  const data::Column& target_column = table.column(std::string_view(options.target));
  metadata.data_file = options.data_file;
  metadata.data_hash = core::file_content_hash(options.data_file);
  metadata.data_rows = table.row_count();

  stages.start("split", "splitting");
  metadata.target = model::infer_target_encoding(target_column, options.positive_class);
  settle_objective(hp, metadata.target, target_column);
  const bool classes = metadata.target.kind != TargetKind::kContinuous;
  metadata.split = options.split.value_or(data::SplitSpec{});
  if (!options.split)
    metadata.split.method = classes ? data::SplitMethod::kStratified : data::SplitMethod::kRandom;
  data::SplitRows split = data::split_rows(table, metadata.split, options.target);
  if (options.recorder != nullptr) record_inputs(*options.recorder, options, hp, metadata.split);
  result.train_rows = split.train.size();
  result.validation_rows = split.validation.size();
  result.test_rows = split.test.size();
  result.excluded_rows = split.excluded;

  stages.start("recipe", "fitting the recipe on the training rows");
  features::Recipe recipe =
      user_recipe ? *user_recipe : features::automatic_recipe(table, options.target);
  result.automatic_recipe = !user_recipe;
  std::optional<features::FittedRecipe> fitted;
  {
    data::Table fit_rows = fit_table_for(table, *layout, recipe, options.target, split.train);
    fitted.emplace(recipe.fit(fit_rows, options.target));
  }
  result.features = fitted->feature_names();
  if (result.features.empty())
    throw_invalid("the recipe leaves no feature columns: every column but the target was dropped");

  const std::vector<float> train_labels =
      model::encode_labels(target_column, metadata.target, split.train);
  const std::vector<float> validation_labels =
      model::encode_labels(target_column, metadata.target, split.validation);
  const std::vector<float> test_labels =
      model::encode_labels(target_column, metadata.target, split.test);
  // From here on only the columns the fitted recipe reads are used. Release the rest (ID
  // columns and their dictionaries are often most of a table) before XGBoost allocates.
  // target_column refers into the table: it is not valid below this line.
  table.keep_only(schema_names(*fitted));

  stages.start("matrices", "building XGBoost matrices");
  const unsigned nthread = static_cast<unsigned>(hp.nthread);
  std::optional<model::DMatrix> train_matrix, validation_matrix;
  if (hp.tree_method == "hist") {
    model::DMatrix::QuantileOptions quantile{hp.max_bin, nthread, nullptr};
    std::optional<model::DMatrix> cuts;
    if (split.train.size() > 2 * kCutSampleRows) {
      const Rows sample = evenly_spaced(split.train, kCutSampleRows);
      cuts.emplace(quantile_matrix(table, sample, std::vector<float>(sample.size(), 0.0f), *fitted,
                                   batch_rows, quantile));
      quantile.reference = &*cuts;
    }
    train_matrix.emplace(
        quantile_matrix(table, split.train, train_labels, *fitted, batch_rows, quantile));
    cuts.reset();
    quantile.reference = &*train_matrix;
    validation_matrix.emplace(
        quantile_matrix(table, split.validation, validation_labels, *fitted, batch_rows, quantile));
  } else {
    train_matrix.emplace(dense_matrix(table, split.train, train_labels, *fitted, nthread));
    validation_matrix.emplace(
        dense_matrix(table, split.validation, validation_labels, *fitted, nthread));
  }

  stages.start("boosting", "boosting");
  model::TrainOptions train_options;
  train_options.evaluate_train = options.evaluate_train;
  train_options.on_round = [&](const model::RoundMetrics& round) {
    if (options.on_round) options.on_round(round);
    if (options.recorder != nullptr)
      for (const auto& metric : round.metrics)
        options.recorder->log_metric(metric.name, round.round, metric.value);
    return model::RoundDecision::kContinue;
  };
  model::TrainedModel trained = model::train(*train_matrix, &*validation_matrix, hp, train_options);
  train_matrix.reset();
  validation_matrix.reset();
  result.stop_reason = trained.stop_reason;
  metadata.objective = trained.resolved.objective;
  metadata.rounds = trained.rounds;
  metadata.best_round = trained.best_round;
  metadata.costs = options.costs;
  metadata.importances = trained.booster.feature_importances();
  nlohmann::json resolved = hp.to_json();
  resolved["objective"] = trained.resolved.objective;
  resolved["eval_metric"] = trained.resolved.eval_metric;
  resolved["base_score"] = trained.resolved.base_score;
  resolved["scale_pos_weight"] = trained.resolved.scale_pos_weight;
  resolved["max_delta_step"] = trained.resolved.max_delta_step;
  resolved["nthread"] = trained.resolved.nthread;
  if (trained.resolved.num_class > 0) resolved["num_class"] = trained.resolved.num_class;
  metadata.hyperparameters = resolved;
  result.validation_metrics = nlohmann::json::object();
  const model::RoundMetrics* kept = nullptr;
  for (const auto& round : trained.history)
    if (round.round == trained.best_round) kept = &round;
  if (kept != nullptr)
    for (const auto& metric : kept->metrics) metadata.metrics[metric.name] = metric.value;
  for (const auto& [name, value] : metadata.metrics.items())
    if (name.rfind("validation:", 0) == 0) result.validation_metrics[name] = value;

  stages.start("predict", "scoring validation and test rows");
  model::Bundle draft(std::move(trained.booster), std::move(*fitted), metadata);
  model::Predictor scorer(draft);
  model::Predictions validation_scores = predict_part(scorer, table, split.validation, batch_rows);
  model::Predictions test_scores = predict_part(scorer, table, split.test, batch_rows);

  stages.start("evaluate", "choosing the cutoff and evaluating");
  if (metadata.target.kind == TargetKind::kBinary) {
    // The cost-optimal cutoff on validation; test stays unseen until it is scored below.
    std::vector<std::uint8_t> truth(validation_labels.begin(), validation_labels.end());
    eval::RankedScores ranked(validation_scores.scores, truth);
    auto curve = eval::cost_curve(ranked, options.costs);
    auto best = eval::optimal_cutoff(curve);
    metadata.cutoff = best.cutoff;
    result.validation_metrics["cost_at_cutoff"] = best.total_cost;
  }
  result.test_metrics =
      evaluate_part(metadata.target, test_scores, test_labels, metadata.cutoff, options.costs);
  stages.stop();

  metadata.timings = stages.timings();
  if (options.recorder != nullptr)
    metadata.tracking = {{"experiment", options.recorder->run().experiment},
                         {"run", options.recorder->run().name},
                         {"run_id", options.recorder->run().id},
                         {"job_id", options.recorder->job_id()}};
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
