// `archml train --data FILE --target COL [--recipe R] [--split S] [--hp NAME=VALUE ...]
// [--out DIR]`: runs the training job and prints its progress and a summary.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "archml/core/error.h"
#include "archml/jobs/train_job.h"
#include "cli/commands.h"
#include "cli/csv_flags.h"
#include "cli/run_flags.h"

namespace archml::cli {
namespace {

namespace fs = std::filesystem;

struct TrainFlags {
  std::string data;
  std::string target;
  std::string recipe;
  std::string split;
  std::uint64_t seed = 1729;
  std::vector<std::string> hyperparameters;
  std::string cost_matrix = "0,100,500,100";
  std::string positive_class;
  bool evaluate_train = false;
  std::string out;
  CsvFlags csv;
  RunFlags run;
};

std::string default_out_dir(const std::string& file) {
  std::string stem = fs::path(file).filename().string();
  for (const char* suffix : {".gz", ".csv", ".tsv", ".txt"}) {
    std::string s = suffix;
    if (stem.size() > s.size() && stem.compare(stem.size() - s.size(), s.size(), s) == 0)
      stem.resize(stem.size() - s.size());
  }
  return "train-" + stem;
}

eval::CostMatrix parse_cost_matrix(const std::string& text) {
  std::vector<double> values;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string part = text.substr(start, end - start);
    char* stop = nullptr;
    double value = std::strtod(part.c_str(), &stop);
    if (part.empty() || stop != part.c_str() + part.size() || !std::isfinite(value))
      throw_invalid("--cost-matrix '" + text + "': '" + part +
                    "' is not a number; expected TN,FP,FN,TP such as 0,100,500,100");
    values.push_back(value);
    start = end + 1;
  }
  if (values.size() != 4)
    throw_invalid("--cost-matrix '" + text +
                  "': expected four numbers TN,FP,FN,TP such as 0,100,500,100");
  return {values[0], values[1], values[2], values[3]};
}

std::string format_metrics(const std::vector<model::Metric>& metrics) {
  std::string line;
  for (const auto& metric : metrics) {
    char value[32];
    std::snprintf(value, sizeof value, "%.4f", metric.value);
    line += (line.empty() ? "" : "  ") + metric.name + " " + value;
  }
  return line;
}

std::string format_json_number(const nlohmann::json& value) {
  if (!value.is_number()) return "n/a";
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", value.get<double>());
  return text;
}

void run_train(const jobs::JobContext& context, const TrainFlags& flags) {
  jobs::TrainJobOptions options;
  options.data_file = flags.data;
  options.csv = to_csv_options(flags.csv, context);
  options.target = flags.target;
  options.recipe_file = flags.recipe;
  if (!flags.split.empty()) {
    options.split = data::SplitSpec::parse(flags.split);
    options.split->seed = flags.seed;
  } else if (flags.seed != 1729) {
    options.split = data::SplitSpec{};
    options.split->seed = flags.seed;
  }
  options.hyperparameters = flags.hyperparameters;
  options.costs = parse_cost_matrix(flags.cost_matrix);
  if (!flags.positive_class.empty()) options.positive_class = flags.positive_class;
  options.evaluate_train = flags.evaluate_train;
  options.out_dir = flags.out.empty() ? fs::path(default_out_dir(flags.data)) : fs::path(flags.out);

  // The first rounds always show; after that at most two lines a second, so thousands of
  // fast rounds do not flood the terminal (metrics.json keeps every round).
  auto last_print = std::chrono::steady_clock::now() - std::chrono::hours(1);
  int last_printed = -1;
  model::RoundMetrics last_round;
  options.on_round = [&](const model::RoundMetrics& round) {
    last_round = round;
    auto now = std::chrono::steady_clock::now();
    if (round.round < 5 || now - last_print >= std::chrono::milliseconds(500)) {
      std::printf("[%d] %s\n", round.round, format_metrics(round.metrics).c_str());
      std::fflush(stdout);
      last_print = now;
      last_printed = round.round;
    }
  };
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  options.on_stage = [terminal](const std::string& stage) {
    if (terminal) std::fprintf(stderr, "%s...\n", stage.c_str());
  };

  auto recorder = jobs::start_job(context, flags.run.choice(), track::JobKind::kTraining);
  options.recorder = recorder.get();
  std::fprintf(stderr, "recording run %s/%s (id %lld) in %s\n", recorder->run().experiment.c_str(),
               recorder->run().name.c_str(), static_cast<long long>(recorder->run().id),
               recorder->catalog().path().c_str());
  jobs::TrainJobResult result =
      jobs::run_recorded(recorder.get(), [&] { return jobs::run_train_job(context, options); });
  if (last_printed != last_round.round && !last_round.metrics.empty())
    std::printf("[%d] %s\n", last_round.round, format_metrics(last_round.metrics).c_str());

  print_csv_problems(result.csv_report);
  const auto& m = result.metadata;
  std::printf("\ntrained %s (%s) on %zu rows, validated on %zu, tested on %zu", m.objective.c_str(),
              m.target.column.c_str(), result.train_rows, result.validation_rows, result.test_rows);
  if (result.excluded_rows > 0)
    std::printf(" (%zu rows without a target left out)", result.excluded_rows);
  std::printf("\n%zu features, %d rounds (predictions use round %d)%s\n", result.features.size(),
              m.rounds, m.best_round,
              result.stop_reason == model::StopReason::kEarlyStopping ? ", stopped early" : "");
  if (!result.validation_metrics.empty()) {
    std::printf("validation:");
    for (const auto& [name, value] : result.validation_metrics.items())
      std::printf("  %s %s", name.c_str(), format_json_number(value).c_str());
    std::printf("\n");
  }
  if (m.target.kind == model::TargetKind::kBinary)
    std::printf(
        "cutoff %.2f (least cost on validation; positive class '%s'; costs TN %g FP %g "
        "FN %g TP %g)\n",
        m.cutoff, m.target.positive_class().c_str(), m.costs.tn, m.costs.fp, m.costs.fn,
        m.costs.tp);
  if (!result.test_metrics.empty()) {
    std::printf("test:");
    for (const auto& [name, value] : result.test_metrics.items())
      if (value.is_number())
        std::printf("  %s %s", name.c_str(), format_json_number(value).c_str());
    std::printf("\n");
  }
  std::printf("stages:");
  double total = 0;
  for (const auto& t : m.timings) {
    std::printf("  %s %.2f s", t.stage.c_str(), t.seconds);
    total += t.seconds;
  }
  std::printf("  (total %.2f s)\n", total);
  std::printf("recorded as run %s/%s: 'archml runs show %lld', 'archml metrics %lld'\n",
              recorder->run().experiment.c_str(), recorder->run().name.c_str(),
              static_cast<long long>(recorder->run().id),
              static_cast<long long>(recorder->run().id));
  std::printf("\nwrote %s/ (bundle/, metrics.json, split.json, summary.json%s)\n",
              result.out_dir.string().c_str(), result.automatic_recipe ? ", recipe.yaml" : "");
  if (result.automatic_recipe)
    std::printf("no --recipe given: the automatic recipe is in %s; edit it and pass --recipe\n",
                (result.out_dir / "recipe.yaml").string().c_str());
}

}  // namespace

void add_train_command(CLI::App& app, const jobs::JobContext& context) {
  auto flags = std::make_shared<TrainFlags>();
  auto* command = app.add_subcommand(
      "train",
      "Train an XGBoost model on a CSV file.\n\n"
      "The job splits the rows into train / validation / test,\n"
      "fits the feature recipe on the training rows, boosts with per-round metrics on the\n"
      "validation rows, chooses the cost-optimal cutoff on validation, scores the test rows,\n"
      "and writes the model bundle (docs/training.md).\n\n"
      "Hyperparameters use SageMaker's XGBoost names and defaults; see\n"
      "docs/hyperparameters.md for each one's range and meaning (num_round, eta, max_depth,\n"
      "subsample, colsample_bytree, gamma, min_child_weight, lambda, alpha,\n"
      "scale_pos_weight (or auto), max_delta_step, objective, num_class, eval_metric,\n"
      "early_stopping_rounds, tree_method, max_bin, base_score, seed, nthread).\n\n"
      "Writes OUT/bundle/ (model.json + bundle.json: what 'archml evaluate --model' and the\n"
      "server load), OUT/metrics.json (every round), OUT/split.json, OUT/summary.json, and\n"
      "OUT/recipe.yaml when no --recipe was given.\n\n"
      "Examples:\n"
      "  archml train --data paysim.csv --target isFraud \\\n"
      "      --recipe examples/paysim/recipe.yaml \\\n"
      "      --hp num_round=100 max_depth=5 eta=0.2 eval_metric=auc,aucpr scale_pos_weight=auto\n"
      "  archml train --data paysim.csv --target isFraud --split ordered:step --out runs/by-time\n"
      "  archml train --data churn.csv --target Churn --positive-class True.\n"
      "  archml train --data houses.csv --target price --split random:0.8,0.1,0.1");
  command->add_option("--data", flags->data, "CSV file to train on (.csv or .csv.gz)")->required();
  command
      ->add_option("-t,--target", flags->target,
                   "Column to predict: 0/1 or two text values (binary), a few classes "
                   "(multi-class), or numbers (regression)")
      ->required();
  command->add_option("--recipe", flags->recipe,
                      "Feature recipe, YAML or JSON (docs/recipe.md); default: the automatic "
                      "recipe, written to OUT/recipe.yaml");
  command->add_option("--split", flags->split,
                      "METHOD[:COLUMN][:TRAIN,VALIDATION[,TEST]]: 'stratified' (default for "
                      "classes), 'random' (default for regression), or 'ordered:COLUMN' (past "
                      "trains, future tests), with ratios defaulting to 0.7,0.2,0.1, e.g. "
                      "stratified:0.8,0.1,0.1");
  command->add_option("--seed", flags->seed, "Seed of the random and stratified splits")
      ->default_val(1729);
  command
      ->add_option("--hp", flags->hyperparameters,
                   "Hyperparameter NAME=VALUE (repeat the flag, or give several after one); "
                   "see docs/hyperparameters.md")
      ->expected(1, CLI::detail::expected_max_vector_size)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command
      ->add_option("--cost-matrix", flags->cost_matrix,
                   "Cost per row of TN,FP,FN,TP, for choosing the cutoff of a binary model")
      ->default_val("0,100,500,100");
  command->add_option("--positive-class", flags->positive_class,
                      "For a two-class target: the class to detect (default: 1, or the rarer "
                      "text value)");
  command->add_flag("--eval-train", flags->evaluate_train,
                    "Also compute the metrics on the training rows every round (slower)");
  command->add_option("-o,--out", flags->out,
                      "Output directory, created if needed (default: train-<file name>)");
  add_csv_flags(*command, flags->csv);
  add_run_flags(*command, flags->run, false);
  command->callback([flags, &context] { run_train(context, *flags); });
}

}  // namespace archml::cli
