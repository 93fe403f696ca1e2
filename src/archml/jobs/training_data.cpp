#include "archml/jobs/training_data.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>
#include <set>

#include "archml/core/content_hash.h"
#include "archml/core/error.h"
#include "archml/core/page_advice.h"
#include "archml/core/text_file.h"
#include "archml/data/csv_reader.h"
#include "archml/data/table_take.h"
#include "archml/eval/ranked_scores.h"
#include "archml/features/automatic_recipe.h"
#include "archml/model/engine_trainer.h"
#include "archml/model/target_encoding.h"
#include "archml/model/trainer.h"

namespace archml::jobs {
namespace {

namespace fs = std::filesystem;
using Rows = std::vector<std::uint32_t>;

// Rows the recipe is first fitted on to learn which raw columns it reads (see
// fit_table_for), so that columns it drops unread are never copied.
constexpr std::size_t kProbeRows = 1000;
// Rows the hist bin cuts are sketched from. Sketching every training row costs as much as
// binning them; quantiles of 200,000 rows place 256 bins as well (LightGBM's
// bin_construct_sample_cnt makes the same choice). A value never seen in the sample still
// lands in the nearest bin; only a category rarer than about 1 in 200,000 rows can share
// a bin with its neighbour.
constexpr std::size_t kCutSampleRows = 200'000;

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

// Gives back the pages of rows [0, end) of every column: they have been transformed and
// are never read again, so the features being written replace them rather than adding to
// them.
void release_rows(data::Table& table, std::size_t end) {
  const auto release = [end](auto& values) {
    core::release_pages(values.data(), std::min(end, values.size()) * sizeof(values[0]));
  };
  for (std::size_t c = 0; c < table.column_count(); ++c) {
    data::Column& column = table.mutable_column(c);
    release(column.mutable_missing_mask());
    switch (column.type()) {
      case data::ColumnType::kInt64:
        release(column.mutable_ints());
        break;
      case data::ColumnType::kFloat64:
        release(column.mutable_floats());
        break;
      case data::ColumnType::kBool:
        release(column.mutable_bools());
        break;
      case data::ColumnType::kString:
        release(column.mutable_codes());
        break;
    }
  }
}

struct PartFeatures {
  features::FeatureMatrix train, validation, test;
};

// Every part through the recipe once, then the raw table is gone. Rows are transformed in
// table order, a chunk at a time, and each chunk's raw pages are released as soon as it
// is done: since every part lists its rows in ascending order, each part's features are
// also written front to back, so memory holds about one copy of the data throughout.
PartFeatures transform_parts(data::Table& table, const data::SplitRows& split,
                             const features::FittedRecipe& recipe, std::size_t chunk_rows,
                             unsigned threads) {
  const auto& names = recipe.feature_names();
  PartFeatures out{features::FeatureMatrix(split.train.size(), names),
                   features::FeatureMatrix(split.validation.size(), names),
                   features::FeatureMatrix(split.test.size(), names)};
  const std::array<std::pair<const Rows*, features::FeatureMatrix*>, 3> parts = {
      {{&split.train, &out.train}, {&split.validation, &out.validation}, {&split.test, &out.test}}};
  constexpr std::uint8_t kNoPart = parts.size();  // a row whose target is missing
  std::vector<std::uint8_t> part_of(table.row_count(), kNoPart);
  std::vector<std::uint32_t> position(table.row_count());
  for (std::uint8_t p = 0; p < parts.size(); ++p) {
    const Rows& rows = *parts[p].first;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      part_of[rows[i]] = p;
      position[rows[i]] = static_cast<std::uint32_t>(i);
    }
  }
  const auto destination = [&](std::size_t row) -> float* {
    return part_of[row] == kNoPart ? nullptr : parts[part_of[row]].second->row(position[row]);
  };
  for (std::size_t begin = 0; begin < table.row_count(); begin += chunk_rows) {
    const std::size_t end = std::min(table.row_count(), begin + chunk_rows);
    recipe.transform_into(table, begin, end, destination, threads);
    release_rows(table, end);
  }
  table = data::Table();
  return out;
}

// The sample must span the whole part: a whole-number stride would leave out the tail
// whenever rows / count is not whole, and on a file in time order that tail is the latest
// rows (on 1 M PaySim rows, their larger balances all fell into the top bin, and the
// validation PR AUC of tuned models dropped by about 0.002).
features::FeatureMatrix evenly_spaced(const features::FeatureMatrix& features, std::size_t count) {
  const std::vector<std::size_t> rows = evenly_spaced_rows(features.rows(), count);
  features::FeatureMatrix sample(rows.size(), features.names());
  for (std::size_t i = 0; i < rows.size(); ++i)
    std::memcpy(sample.row(i), features.row(rows[i]), features.cols() * sizeof(float));
  return sample;
}

// The part as one batch for XGBoost's iterator, which reads it twice (counting, then
// binning): a view of the transformed rows, so the second pass costs nothing on archml's
// side. One batch rather than several because each costs XGBoost several parallel
// regions: a sixth less CPU time than 2^18-row batches.
model::DMatrix quantile_matrix(const features::FeatureMatrix& features,
                               std::span<const float> labels,
                               const model::DMatrix::QuantileOptions& options) {
  model::DMatrix::BatchSource source = [&](std::size_t index) -> std::optional<model::DenseBatch> {
    if (index > 0 || features.rows() == 0) return std::nullopt;
    return model::DenseBatch{dense_view(features), labels};
  };
  return model::DMatrix::quantile_from_batches(source, features.names(), options);
}

model::DMatrix dense_matrix(const features::FeatureMatrix& features, std::span<const float> labels,
                            unsigned nthread) {
  return model::DMatrix::from_dense(dense_view(features), labels, features.names(), nthread);
}

}  // namespace

model::DenseView dense_view(const features::FeatureMatrix& features) {
  return model::DenseView{features.data(), features.rows(), features.cols()};
}

std::vector<std::size_t> evenly_spaced_rows(std::size_t rows, std::size_t count) {
  const std::size_t taken = std::min(count, rows);
  std::vector<std::size_t> indices(taken);
  for (std::size_t i = 0; i < taken; ++i)
    indices[i] = static_cast<std::size_t>(static_cast<std::uint64_t>(i) * rows / taken);
  return indices;
}

std::vector<std::string> schema_names(const features::FittedRecipe& recipe) {
  std::vector<std::string> names;
  for (const auto& column : recipe.input_schema()) names.push_back(column.name);
  return names;
}

void record_trained_model(model::BundleMetadata& metadata, const model::Hyperparameters& hp,
                          const model::TrainedModel& trained) {
  metadata.objective = trained.resolved.objective;
  metadata.rounds = trained.rounds;
  metadata.best_round = trained.best_round;
  metadata.importances = trained.booster.feature_importances();
  nlohmann::json resolved = hp.to_json();
  resolved["objective"] = trained.resolved.objective;
  resolved["eval_metric"] = trained.resolved.eval_metric;
  resolved["base_score"] = trained.resolved.base_score;
  resolved["scale_pos_weight"] = trained.resolved.scale_pos_weight;
  resolved["nthread"] = trained.resolved.nthread;
  if (trained.resolved.num_class > 0) resolved["num_class"] = trained.resolved.num_class;
  metadata.hyperparameters = resolved;
  for (const auto& round : trained.history)
    if (round.round == trained.best_round)
      for (const auto& metric : round.metrics) metadata.metrics[metric.name] = metric.value;
}

eval::CostPoint cost_optimal_cutoff(std::span<const double> scores, std::span<const float> labels,
                                    const eval::CostMatrix& costs) {
  std::vector<std::uint8_t> truth(labels.begin(), labels.end());
  eval::RankedScores ranked(scores, truth);
  return eval::optimal_cutoff(eval::cost_curve(ranked, costs));
}

nlohmann::json metrics_json(const model::TrainedModel& trained) {
  nlohmann::json rounds = nlohmann::json::array();
  std::vector<std::string> names;
  for (const auto& round : trained.history) {
    nlohmann::json entry = {{"round", round.round}};
    for (const auto& metric : round.metrics) {
      entry[metric.name] =
          std::isfinite(metric.value) ? nlohmann::json(metric.value) : nlohmann::json();
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

TrainingInputs check_training_inputs(const TrainJobOptions& options) {
  TrainingInputs inputs;
  inputs.hyperparameters = model::Hyperparameters::parse(options.hyperparameters);
  if (!options.recipe_file.empty())
    inputs.recipe = features::Recipe::parse(
        core::read_text_file(options.recipe_file, "recipe file"), options.recipe_file);
  if (options.target.empty()) throw_invalid("--target is required: name the column to predict");
  std::error_code error;
  if (!fs::exists(options.data_file, error))
    throw_not_found("data file '" + options.data_file + "' does not exist");
  return inputs;
}

TrainingData prepare_training_data(const JobContext& context, const TrainJobOptions& options,
                                   TrainingInputs& inputs, const StageStart& start_stage) {
  using model::TargetKind;
  const unsigned threads = context.threads;
  model::Hyperparameters& hp = inputs.hyperparameters;
  if (hp.nthread == 0) hp.nthread = static_cast<int>(threads);
  const std::size_t batch_rows =
      options.batch_rows > 0 ? options.batch_rows : kDefaultTrainingBatchRows;
  TrainingData data;
  model::BundleMetadata& metadata = data.metadata;

  start_stage("read", "reading " + options.data_file);
  // With a recipe, only the columns it reads (and the target and split column) are read
  // at all: the IDs a recipe drops are often most of the reading time and memory.
  std::optional<data::Table> layout;
  data::CsvOptions csv = options.csv;
  if (csv.threads == 0) csv.threads = threads;
  if (!context.progress) csv.progress_label.clear();
  if (inputs.recipe && csv.columns.empty()) {
    layout = read_first_rows(options.data_file, csv);
    try {
      if (layout) {
        std::set<std::string> needed = columns_read(*inputs.recipe, *layout, options.target);
        if (options.split && !options.split->column.empty()) needed.insert(options.split->column);
        csv.columns.assign(needed.begin(), needed.end());
      }
    } catch (const Error&) {
      layout.reset();  // the real fit will report the problem on the whole file
    }
  }
  // Hashed before reading: the hash maps the whole file, and those pages count against the
  // process as long as they are mapped, so with the table already in memory they would
  // set the job's peak.
  metadata.data_hash = core::file_content_hash(options.data_file);
  data::Table table = data::read_csv(options.data_file, csv, &data.csv_report);
  if (!layout) layout = data::take_rows(table, Rows{}, {});
  if (table.row_count() == 0)
    throw_invalid("'" + options.data_file + "' has no data rows: nothing to train on");
  const data::Column& target_column = table.column(std::string_view(options.target));
  metadata.data_file = options.data_file;
  metadata.data_rows = table.row_count();

  start_stage("split", "splitting");
  metadata.target = model::infer_target_encoding(target_column, options.positive_class);
  settle_objective(hp, metadata.target, target_column);
  const bool classes = metadata.target.kind != TargetKind::kContinuous;
  metadata.split = options.split.value_or(data::SplitSpec{});
  if (!options.split)
    metadata.split.method = classes ? data::SplitMethod::kStratified : data::SplitMethod::kRandom;
  data.split = data::split_rows(table, metadata.split, options.target);
  const data::SplitRows& split = data.split;

  start_stage("recipe", "fitting the recipe on the training rows");
  data.recipe = inputs.recipe ? *inputs.recipe : features::automatic_recipe(table, options.target);
  data.automatic_recipe = !inputs.recipe;
  {
    data::Table fit_rows = fit_table_for(table, *layout, data.recipe, options.target, split.train);
    data.fitted.emplace(data.recipe.fit(fit_rows, options.target, threads));
  }
  const features::FittedRecipe& fitted = *data.fitted;
  if (fitted.feature_names().empty())
    throw_invalid("the recipe leaves no feature columns: every column but the target was dropped");

  data.train_labels = model::encode_labels(target_column, metadata.target, split.train);
  data.validation_labels = model::encode_labels(target_column, metadata.target, split.validation);
  data.test_labels = model::encode_labels(target_column, metadata.target, split.test);
  // From here on only the columns the fitted recipe reads are used. Release the rest (ID
  // columns and their dictionaries are often most of a table) before transforming.
  // target_column refers into the table: it is not valid below here.
  table.keep_only(schema_names(fitted));

  start_stage("matrices", "building XGBoost matrices");
  PartFeatures parts = transform_parts(table, split, fitted, batch_rows, threads);
  data.validation_features = std::move(parts.validation);
  data.test_features = std::move(parts.test);
  const unsigned nthread = static_cast<unsigned>(hp.nthread);
  if (model::uses_engine(hp)) {
    data.binned.emplace(model::bin_for_engine(dense_view(parts.train), hp));
  } else if (hp.tree_method == "hist") {
    model::DMatrix::QuantileOptions quantile{hp.max_bin, nthread, nullptr};
    std::optional<model::DMatrix> cuts;
    if (parts.train.rows() > 2 * kCutSampleRows) {
      const features::FeatureMatrix sample = evenly_spaced(parts.train, kCutSampleRows);
      cuts.emplace(quantile_matrix(sample, {}, quantile));
      quantile.reference = &*cuts;
    }
    data.train_matrix.emplace(quantile_matrix(parts.train, data.train_labels, quantile));
    cuts.reset();
  } else {
    data.train_matrix.emplace(dense_matrix(parts.train, data.train_labels, nthread));
  }
  parts.train = features::FeatureMatrix();
  // Plain even for hist: XGBoost 1.7 predicts on a quantised matrix by looking every value
  // up in the cuts, and the validation rows are predicted every round. When the trainer
  // scores them itself, XGBoost's copy is left until something needs it, which is usually
  // never (0.4 s and 100 MB at 1.27 M rows).
  model::TrainOptions planned;
  planned.evaluate_train = options.evaluate_train;
  planned.validation_rows = dense_view(data.validation_features);
  if (model::uses_engine(hp) ||
      model::scores_validation_itself(hp, data.train_labels, data.validation_labels, planned))
    data.validation_matrix.emplace(
        model::DMatrix::deferred_dense(*planned.validation_rows, data.validation_labels,
                                       data.validation_features.names(), nthread));
  else
    data.validation_matrix.emplace(
        dense_matrix(data.validation_features, data.validation_labels, nthread));
  return data;
}

}  // namespace archml::jobs
