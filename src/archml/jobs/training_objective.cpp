#include "archml/jobs/training_objective.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "archml/core/error.h"
#include "archml/core/page_advice.h"
#include "archml/core/progress.h"
#include "archml/core/text_file.h"
#include "archml/data/csv_reader.h"
#include "archml/jobs/job_record.h"
#include "archml/model/bundle.h"

namespace archml::jobs {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kValidationPrefix = "validation:";

std::string why_not_tunable(std::string_view name) {
  if (name == "objective" || name == "num_class")
    return "it is fixed by the target; set it in static_hyperparameters";
  if (name == "eval_metric") return "the objective metric sets it";
  if (name == "nthread") return "each trial gets its share of the threads from the tuner";
  if (name == "tree_method" || name == "max_bin")
    return "the trials share one quantised matrix, built once with one tree_method and max_bin";
  return {};
}

std::string scalar_text(const json& value, const std::string& where) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  if (value.is_number()) return json(value.get<double>()).dump();
  if (value.is_array() && where == "eval_metric") {
    std::string joined;
    for (const auto& item : value) joined += (joined.empty() ? "" : ",") + scalar_text(item, "");
    return joined;
  }
  throw_invalid("training.static_hyperparameters." + where + " must be a number or a string, not " +
                value.dump());
}

const json& member(const json& section, const char* key) {
  static const json kNull;
  auto found = section.find(key);
  return found == section.end() ? kNull : *found;
}

std::string text_member(const json& section, const char* key, bool required) {
  const json& value = member(section, key);
  if (value.is_null()) {
    if (required) throw_invalid(std::string("training.") + key + " is required");
    return {};
  }
  if (!value.is_string() || value.get<std::string>().empty())
    throw_invalid(std::string("training.") + key + " must be a non-empty string");
  return value.get<std::string>();
}

// "stratified:0.7,0.2,0.1" (the --split form) or {method (or strategy), ratios, seed,
// column}, any member optional.
data::SplitSpec parse_split(const json& split) {
  if (split.is_string()) return data::SplitSpec::parse(split.get<std::string>());
  if (!split.is_object())
    throw_invalid("training.split must be METHOD[:COLUMN][:RATIOS] or an object, not " +
                  split.dump());
  for (const auto& [key, value] : split.items())
    if (key != "method" && key != "strategy" && key != "ratios" && key != "seed" && key != "column")
      throw_invalid("training.split: unknown key '" + key +
                    "' (expected method, ratios, seed, column)");
  const json& method = split.contains("method") ? split.at("method") : member(split, "strategy");
  std::string text = method.is_string() ? method.get<std::string>() : std::string("stratified");
  if (split.contains("column")) text += ":" + split.at("column").get<std::string>();
  data::SplitSpec spec = data::SplitSpec::parse(text);
  try {
    if (split.contains("ratios")) {
      auto ratios = split.at("ratios").get<std::vector<double>>();
      if (ratios.size() != 3 && ratios.size() != 2)
        throw_invalid("training.split.ratios must hold two or three numbers");
      std::string list;
      for (double ratio : ratios) list += (list.empty() ? "" : ",") + json(ratio).dump();
      spec = data::SplitSpec::parse(text + ":" + list);
    }
    if (split.contains("seed")) spec.seed = split.at("seed").get<std::uint64_t>();
  } catch (const json::exception& error) {
    throw_invalid(std::string("training.split is malformed: ") + error.what());
  }
  return spec;
}

data::CsvOptions parse_csv(const json& csv) {
  data::CsvOptions options;
  if (csv.is_null()) return options;
  if (!csv.is_object()) throw_invalid("training.csv must be an object");
  try {
    for (const auto& [key, value] : csv.items()) {
      if (key == "delimiter") {
        std::string delimiter = value.get<std::string>();
        if (delimiter == "tab") delimiter = "\t";
        if (delimiter.size() != 1 || delimiter == "\"" || delimiter == "\n")
          throw_invalid("training.csv.delimiter must be one character (or 'tab')");
        options.delimiter = delimiter[0];
      } else if (key == "no_header") {
        options.has_header = !value.get<bool>();
      } else if (key == "lenient") {
        options.lenient = value.get<bool>();
      } else if (key == "schema") {
        for (const auto& [column, type] : value.items())
          options.schema[column] = data::parse_column_type(type.get<std::string>());
      } else {
        throw_invalid("training.csv: unknown key '" + key +
                      "' (expected delimiter, no_header, lenient, schema)");
      }
    }
  } catch (const json::exception& error) {
    throw_invalid(std::string("training.csv is malformed: ") + error.what());
  }
  return options;
}

struct ParsedSection {
  TrainJobOptions options;
  std::set<std::string> static_names;
};

ParsedSection parse_section(const json& section, const std::string& metric) {
  if (!section.is_object()) throw_invalid("training must be an object (data, target, ...)");
  static const std::set<std::string> kKeys = {
      "data", "target", "recipe", "split", "static_hyperparameters", "csv", "positive_class"};
  for (const auto& [key, value] : section.items())
    if (!kKeys.contains(key))
      throw_invalid("training: unknown key '" + key +
                    "' (expected data, target, recipe, split, static_hyperparameters, csv, "
                    "positive_class)");
  ParsedSection parsed;
  TrainJobOptions& options = parsed.options;
  options.data_file = text_member(section, "data", true);
  options.target = text_member(section, "target", true);
  options.recipe_file = text_member(section, "recipe", false);
  if (!member(section, "split").is_null()) options.split = parse_split(section.at("split"));
  if (!member(section, "positive_class").is_null())
    options.positive_class = text_member(section, "positive_class", false);
  options.csv = parse_csv(member(section, "csv"));
  options.csv.progress_label = "reading " + fs::path(options.data_file).filename().string();

  std::vector<std::string> metrics;
  const json& statics = member(section, "static_hyperparameters");
  if (!statics.is_null() && !statics.is_object())
    throw_invalid("training.static_hyperparameters must be an object of NAME: VALUE");
  if (statics.is_object()) {
    for (const auto& [name, value] : statics.items()) {
      const std::string text = scalar_text(value, name);
      if (name == "eval_metric") {
        for (std::size_t start = 0; start <= text.size();) {
          std::size_t comma = std::min(text.find(',', start), text.size());
          metrics.push_back(text.substr(start, comma - start));
          start = comma + 1;
        }
        continue;
      }
      options.hyperparameters.push_back(name + "=" + text);
      parsed.static_names.insert(name);
    }
  }
  // The objective metric goes last: per-round evaluation reports it, and static
  // early_stopping_rounds watches the last metric.
  if (!metric.starts_with(kValidationPrefix) || metric.size() == kValidationPrefix.size())
    throw_invalid("objective metric '" + metric +
                  "' must name a metric on the validation rows, e.g. validation:aucpr");
  const std::string name = metric.substr(kValidationPrefix.size());
  std::erase(metrics, name);
  metrics.push_back(name);
  std::string list;
  for (const auto& item : metrics) list += (list.empty() ? "" : ",") + item;
  options.hyperparameters.push_back("eval_metric=" + list);
  return parsed;
}

void check_tuned_names(const std::vector<std::string>& tuned_names,
                       const std::set<std::string>& static_names) {
  std::set<std::string> seen;
  for (const auto& name : tuned_names) {
    const auto specs = model::hyperparameter_specs();
    const bool known = std::any_of(specs.begin(), specs.end(),
                                   [&](const auto& spec) { return spec.name == name; });
    if (!known) {
      try {
        model::Hyperparameters{}.set(name, "1");
      } catch (const Error& error) {
        throw_invalid(std::string("parameter_ranges: ") + error.what());
      }
      throw_invalid("parameter_ranges: '" + name + "' is not a hyperparameter");
    }
    if (const std::string why = why_not_tunable(name); !why.empty())
      throw_invalid("parameter_ranges: " + name + " cannot be tuned: " + why);
    if (static_names.contains(name))
      throw_invalid("parameter_ranges: " + name +
                    " is also in training.static_hyperparameters; a hyperparameter is either "
                    "static or tuned");
    if (!seen.insert(name).second)
      throw_invalid("parameter_ranges: " + name + " has more than one range");
  }
}

// Where a trial's reporter hears the objective: the metric's value in a round's list.
double objective_in(const model::RoundMetrics& round, const std::string& metric) {
  for (const auto& entry : round.metrics)
    if (entry.name == metric) return entry.value;
  throw Error(ErrorKind::kInternal, "XGBoost did not report " + metric);
}

}  // namespace

struct TrainingObjective::Shared {
  TrainJobOptions options;
  model::Hyperparameters hyperparameters;  // the static ones, settled against the target
  std::string metric;                      // "validation:aucpr"
  TrainingData data;
};

TrainingObjective::TrainingObjective(const JobContext& context, const json& training_section,
                                     const std::string& objective_metric,
                                     const std::vector<std::string>& tuned_names,
                                     const StageStart& on_stage) {
  ParsedSection parsed = parse_section(training_section, objective_metric);
  check_tuned_names(tuned_names, parsed.static_names);
  TrainingInputs inputs = check_training_inputs(parsed.options);
  if (inputs.hyperparameters.tree_method != "hist")
    throw_invalid(
        "training.static_hyperparameters: tree_method=" + inputs.hyperparameters.tree_method +
        " cannot be tuned in parallel trials; the trials share one quantised matrix, "
        "which needs tree_method=hist");
  auto shared = std::make_shared<Shared>();
  shared->options = std::move(parsed.options);
  shared->metric = objective_metric;
  shared->data = prepare_training_data(
      context, shared->options, inputs, on_stage ? on_stage : [](const auto&, const auto&) {});
  shared->hyperparameters = inputs.hyperparameters;
  // The trials' boosting allocates and frees the same large buffers every round; from
  // here on malloc keeps them for reuse (core/page_advice.h).
  core::reuse_freed_heap_memory();
  // A metric that does not fit the objective (rmse for a classifier) fails here, once,
  // not in every trial.
  model::resolve(shared->hyperparameters, model::summarize_target(shared->data.train_labels));
  shared_ = std::move(shared);
}

const TrainingData& TrainingObjective::data() const {
  return shared_->data;
}

std::size_t TrainingObjective::default_steps() const {
  return static_cast<std::size_t>(shared_->hyperparameters.num_round);
}

json TrainingObjective::description() const {
  const TrainingData& data = shared_->data;
  const model::BundleMetadata& metadata = data.metadata;
  return {
      {"data",
       {{"file", metadata.data_file}, {"hash", metadata.data_hash}, {"rows", metadata.data_rows}}},
      {"target", metadata.target.to_json()},
      {"split", metadata.split.to_json()},
      {"rows",
       {{"train", data.split.train.size()},
        {"validation", data.split.validation.size()},
        {"test", data.split.test.size()},
        {"excluded_missing_target", data.split.excluded}}},
      {"features", data.fitted->feature_names()},
      {"automatic_recipe", data.automatic_recipe},
      {"objective_metric", shared_->metric},
      {"static_hyperparameters", shared_->hyperparameters.to_json()}};
}

tune::TrialOutcome TrainingObjective::operator()(const tune::TrialRequest& request,
                                                 tune::TrialReporter& reporter) const {
  const Shared& shared = *shared_;
  const TrainingData& data = shared.data;
  model::Hyperparameters hp = shared.hyperparameters;
  for (const auto& [name, value] : request.parameters) hp.set(name, value);
  if (request.threads > 0) hp.nthread = static_cast<int>(request.threads);
  if (request.max_steps > 0)
    hp.num_round = static_cast<int>(
        std::min<std::size_t>(static_cast<std::size_t>(hp.num_round), request.max_steps));

  model::TrainOptions train_options;
  train_options.validation_rows = dense_view(data.validation_features);
  train_options.on_round = [&](const model::RoundMetrics& round) {
    const bool go_on = reporter.report(static_cast<std::size_t>(round.round) + 1,
                                       objective_in(round, shared.metric));
    return go_on ? model::RoundDecision::kContinue : model::RoundDecision::kStop;
  };
  model::TrainedModel trained =
      model::train(*data.train_matrix, &*data.validation_matrix, hp, train_options);

  tune::TrialOutcome outcome;
  outcome.steps = static_cast<std::size_t>(trained.rounds);
  outcome.stopped_early = trained.stop_reason == model::StopReason::kCallback;
  outcome.objective = NAN;
  for (const auto& round : trained.history)
    if (round.round == trained.best_round) outcome.objective = objective_in(round, shared.metric);

  model::BundleMetadata metadata = data.metadata;
  metadata.costs = shared.options.costs;
  record_trained_model(metadata, hp, trained);
  if (metadata.target.kind == model::TargetKind::kBinary) {
    // Kept by the trainer round by round, else from the booster's prediction cache of
    // the shared validation matrix, filled round by round for the metrics.
    const std::vector<float> scores = trained.validation_scores
                                          ? std::move(*trained.validation_scores)
                                          : trained.booster.predict(*data.validation_matrix).values;
    std::vector<double> values(scores.begin(), scores.end());
    metadata.cutoff = cost_optimal_cutoff(values, data.validation_labels, metadata.costs).cutoff;
  }
  if (const auto& tracking = request.tracking)
    metadata.tracking = bundle_tracking(
        track::Run{
            .id = tracking->run_id, .experiment = tracking->experiment, .name = tracking->run},
        tracking->job_id);
  fs::create_directories(request.trial_dir);
  model::Bundle bundle(std::move(trained.booster), *data.fitted, metadata);
  bundle.save(request.trial_dir / "bundle");
  outcome.parameters = training_parameters(shared.options, hp, metadata.split);
  outcome.model_dir = request.trial_dir / "bundle";
  outcome.sources = training_sources(metadata, data.recipe.to_yaml(), shared.options.recipe_file);
  core::write_text_file(request.trial_dir / "metrics.json", metrics_json(trained).dump(2) + "\n");
  return outcome;
}

tune::Objective make_training_objective(const JobContext& context, const json& training_section,
                                        const std::string& objective_metric,
                                        const std::vector<std::string>& tuned_names,
                                        const fs::path& out_dir) {
  const bool terminal = core::Progress::visible(context.progress);
  TrainingObjective objective(context, training_section, objective_metric, tuned_names,
                              [terminal](const std::string&, const std::string& label) {
                                if (terminal) std::fprintf(stderr, "%s ...\n", label.c_str());
                              });
  std::fputs(data::csv_report_warnings(objective.data().csv_report).c_str(), stderr);
  std::error_code error;
  fs::create_directories(out_dir, error);
  if (error)
    throw_io("cannot create output directory '" + out_dir.string() + "': " + error.message());
  core::write_text_file(out_dir / "training.json", objective.description().dump(2) + "\n");
  if (objective.data().automatic_recipe)
    core::write_text_file(out_dir / "recipe.yaml", objective.data().recipe.to_yaml());
  return objective;
}

}  // namespace archml::jobs
