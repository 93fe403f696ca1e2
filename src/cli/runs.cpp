// `archml runs list|show|compare`: the runs (SageMaker's trials) of the catalog, found,
// filtered and sorted by their parameters and final metrics, and compared side by side.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "archml/core/error.h"
#include "archml/track/run_query.h"
#include "cli/catalog_output.h"
#include "cli/commands.h"
#include "cli/table.h"

namespace archml::cli {
namespace {

struct RunsFlags {
  std::string experiment;
  std::string sort_by;
  std::string filter;
  std::string columns;
  std::vector<std::string> runs;
  bool json = false;
  PageFlags page;
};

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, ','))
    if (!part.empty()) parts.push_back(part);
  return parts;
}

std::string status_text(const track::RunDetails& run) {
  auto status = run.status();
  return status ? track::to_string(*status) : "-";
}

std::string kinds_text(const track::RunDetails& run) {
  std::string text;
  for (const auto& job : run.jobs) {
    const std::string kind = track::to_string(job.kind);
    if (text.find(kind) == std::string::npos) text += (text.empty() ? "" : ",") + kind;
  }
  return text.empty() ? "-" : text;
}

std::string cell(const track::RunDetails& run, const std::string& key) {
  if (auto metric = run.metrics.find(key); metric != run.metrics.end())
    return format_value(metric->second.last);
  return track::run_value(run, key).value_or("-");
}

void list_runs(const jobs::JobContext& context, const RunsFlags& flags) {
  auto catalog = read_catalog(context);
  const auto conditions = track::parse_filter(flags.filter);
  std::optional<track::SortOrder> order;
  if (!flags.sort_by.empty()) order = track::parse_sort(flags.sort_by);
  auto all = catalog->run_details(catalog->runs(
      flags.experiment.empty() ? std::nullopt : std::optional<std::string>(flags.experiment)));
  std::vector<track::RunDetails> selected;
  for (auto& run : all)
    if (track::matches(run, conditions)) selected.push_back(std::move(run));
  if (order)
    track::sort_runs(selected, *order);
  else
    std::reverse(selected.begin(), selected.end());  // newest first
  auto [begin, end] = flags.page.range(selected.size());

  if (flags.json) {
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t i = begin; i < end; ++i) list.push_back(run_json(selected[i], false));
    print_json({{"total", selected.size()}, {"offset", begin}, {"runs", list}});
    return;
  }
  if (all.empty()) {
    std::printf("no runs yet in %s; 'archml train' records one\n", catalog->path().c_str());
    return;
  }
  // The keys the user asked about are worth a column each.
  std::vector<std::string> keys = split_commas(flags.columns);
  auto add_key = [&](const std::string& key) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  };
  if (order) add_key(order->key);
  for (const auto& condition : conditions) add_key(condition.key);
  TableRow header = {"ID", "EXPERIMENT", "RUN", "STATUS", "JOBS", "CREATED (UTC)"};
  for (const auto& key : keys) header.push_back(key);
  std::vector<TableRow> rows;
  for (std::size_t i = begin; i < end; ++i) {
    const auto& run = selected[i];
    TableRow row = {
        std::to_string(run.run.id), run.run.experiment, run.run.name,
        status_text(run),           kinds_text(run),    format_time(run.run.created_at)};
    for (const auto& key : keys) row.push_back(cell(run, key));
    rows.push_back(std::move(row));
  }
  if (selected.empty()) {
    std::printf("no run matches --filter '%s' (of %zu runs)\n", flags.filter.c_str(), all.size());
    return;
  }
  print_table(header, rows);
  print_page_footer(begin, end - begin, selected.size(), "runs");
}

void print_run(const track::RunDetails& run) {
  std::printf("run %s (id %lld) in experiment %s, created %s UTC, status %s\n",
              run.run.name.c_str(), static_cast<long long>(run.run.id), run.run.experiment.c_str(),
              format_time(run.run.created_at).c_str(), status_text(run).c_str());

  std::printf("\njobs\n");
  std::vector<TableRow> rows;
  for (const auto& job : run.jobs) {
    const double end = job.ended_at.value_or(track::now_seconds());
    rows.push_back({std::to_string(job.id), track::to_string(job.kind),
                    track::to_string(job.status), format_time(job.started_at),
                    format_duration(end - job.started_at), job.archml_version,
                    job.failure_reason.empty() ? "" : job.failure_reason});
  }
  print_table({"ID", "KIND", "STATUS", "STARTED (UTC)", "DURATION", "ARCHML", "REASON"}, rows);
  for (const auto& job : run.jobs)
    std::printf("  job %lld: %s\n", static_cast<long long>(job.id), job.command_line.c_str());

  print_name_values("parameters", run.parameters);
  if (!run.metrics.empty()) {
    std::printf("\nmetrics ('archml metrics %lld --name NAME' for a series)\n",
                static_cast<long long>(run.run.id));
    rows.clear();
    for (const auto& [name, s] : run.metrics)
      rows.push_back({name, std::to_string(s.count), format_value(s.last), format_value(s.min),
                      format_value(s.max), format_value(s.avg), format_value(s.std)});
    print_table({"NAME", "COUNT", "LAST", "MIN", "MAX", "AVG", "STD"}, rows);
  }
  if (!run.artifacts.empty()) {
    std::printf("\nartifacts\n");
    rows.clear();
    for (const auto& a : run.artifacts)
      rows.push_back({a.name, std::to_string(a.size), a.media_type, a.sha256.substr(0, 16), a.uri});
    print_table({"NAME", "BYTES", "TYPE", "SHA-256", "URI"}, rows);
  }
  if (!run.lineage.empty()) {
    std::printf("\nlineage\n");
    for (const auto& e : run.lineage)
      std::printf("  %s %s\n    -> %s %s (job %lld)\n", e.source_kind.c_str(), e.source.c_str(),
                  e.target_kind.c_str(), e.target.c_str(), static_cast<long long>(e.job_id));
  }
}

void show_run(const jobs::JobContext& context, const RunsFlags& flags) {
  auto catalog = read_catalog(context);
  auto run = catalog->run_details(catalog->find_run(flags.runs.front()).id);
  if (flags.json)
    print_json(run_json(run, true));
  else
    print_run(run);
}

void compare_runs(const jobs::JobContext& context, const RunsFlags& flags) {
  if (flags.runs.size() < 2) throw_invalid("runs compare needs at least two runs");
  auto catalog = read_catalog(context);
  std::vector<track::Run> runs;
  for (const auto& reference : flags.runs) runs.push_back(catalog->find_run(reference));
  auto details = catalog->run_details(runs);
  std::set<std::string> parameter_names, metric_names;
  for (const auto& run : details) {
    for (const auto& [name, value] : run.parameters) parameter_names.insert(name);
    for (const auto& [name, summary] : run.metrics) metric_names.insert(name);
  }
  if (flags.json) {
    nlohmann::json json = {{"runs", nlohmann::json::array()},
                           {"parameters", nlohmann::json::object()},
                           {"metrics", nlohmann::json::object()}};
    for (const auto& run : details)
      json["runs"].push_back(
          {{"id", run.run.id}, {"experiment", run.run.experiment}, {"name", run.run.name}});
    for (const auto& name : parameter_names) {
      nlohmann::json values = nlohmann::json::array();
      for (const auto& run : details) {
        auto found = run.parameters.find(name);
        values.push_back(found == run.parameters.end() ? nlohmann::json()
                                                       : nlohmann::json(found->second));
      }
      json["parameters"][name] = values;
    }
    for (const auto& name : metric_names) {
      nlohmann::json values = nlohmann::json::array();
      for (const auto& run : details) {
        auto found = run.metrics.find(name);
        values.push_back(found == run.metrics.end() ? nlohmann::json()
                                                    : summary_json(found->second)["last"]);
      }
      json["metrics"][name] = values;
    }
    print_json(json);
    return;
  }
  TableRow columns;
  for (const auto& run : details) columns.push_back(run.run.experiment + "/" + run.run.name);
  auto rows_of = [&](const std::set<std::string>& names, auto value_of) {
    std::vector<TableRow> rows;
    for (const auto& name : names) {
      TableRow row = {name};
      for (const auto& run : details) row.push_back(value_of(run, name));
      rows.push_back(std::move(row));
    }
    return rows;
  };
  print_comparison(
      "parameters (* differs)", columns,
      rows_of(parameter_names, [](const track::RunDetails& run, const std::string& name) {
        auto found = run.parameters.find(name);
        return found == run.parameters.end() ? std::string("-") : found->second;
      }));
  print_comparison("final metrics (last value)", columns,
                   rows_of(metric_names, [](const track::RunDetails& run, const std::string& name) {
                     auto found = run.metrics.find(name);
                     return found == run.metrics.end() ? std::string("-")
                                                       : format_value(found->second.last);
                   }));
}

}  // namespace

void add_runs_command(CLI::App& app, const jobs::JobContext& context) {
  auto flags = std::make_shared<RunsFlags>();
  auto* command = app.add_subcommand(
      "runs",
      "Find, inspect and compare runs (SageMaker's trials).\n\n"
      "Each run holds the jobs of one\n"
      "attempt (training, evaluation, transform ...) with their parameters, metric series,\n"
      "artifacts and lineage (docs/catalog.md). A RUN is its id, its name, or\n"
      "EXPERIMENT/NAME.");
  command->require_subcommand(1);

  auto* list = command->add_subcommand(
      "list",
      "List runs, newest first, or filtered and sorted by their metrics.\n\n"
      "Examples:\n"
      "  archml runs list --experiment fraud --sort-by validation:aucpr\n"
      "  archml runs list --filter \"eta>0.1 and validation:aucpr>=0.9\" --sort-by eta:asc\n"
      "  archml runs list --filter status=Failed --json");
  list->add_option("--experiment", flags->experiment, "Only the runs of this experiment");
  list->add_option("--sort-by", flags->sort_by,
                   "KEY[:asc|:desc]: a metric (its last value) or a parameter; descending "
                   "unless :asc");
  list->add_option("--filter", flags->filter,
                   "KEY OP VALUE [and ...], OP one of > >= < <= = != ; KEY a metric, a "
                   "parameter, status, name, experiment or id");
  list->add_option("--columns", flags->columns,
                   "Extra columns, comma-separated metric or parameter names (the --sort-by and "
                   "--filter keys are shown anyway)");
  list->add_flag("--json", flags->json, "Print JSON for scripts (parameters and metric summaries)");
  add_page_flags(*list, flags->page, "runs");
  list->callback([flags, &context] { list_runs(context, *flags); });

  auto* show = command->add_subcommand(
      "show", "One run: its jobs, parameters, metric summaries, artifacts and lineage");
  show->add_option("RUN", flags->runs, "The run: id, name or EXPERIMENT/NAME")
      ->required()
      ->expected(1);
  show->add_flag("--json", flags->json, "Print JSON for scripts");
  show->callback([flags, &context] { show_run(context, *flags); });

  auto* compare = command->add_subcommand(
      "compare", "Parameters and final metrics of several runs side by side");
  compare->add_option("RUN", flags->runs, "Two or more runs: id, name or EXPERIMENT/NAME")
      ->required()
      ->expected(2, 64);
  compare->add_flag("--json", flags->json, "Print JSON for scripts");
  compare->callback([flags, &context] { compare_runs(context, *flags); });
}

}  // namespace archml::cli
