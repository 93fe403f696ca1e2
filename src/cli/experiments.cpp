// `archml experiments list|show|delete`: the experiments of the catalog and their runs.
#include <cstdio>
#include <memory>
#include <string>

#include "archml/core/error.h"
#include "cli/catalog_output.h"
#include "cli/commands.h"
#include "cli/table.h"

namespace archml::cli {
namespace {

struct ExperimentsFlags {
  std::string name;
  bool json = false;
  bool yes = false;
  PageFlags page;
};

void list_experiments(const jobs::JobContext& context, const ExperimentsFlags& flags) {
  auto catalog = read_catalog(context);
  const auto total = static_cast<std::size_t>(catalog->experiment_count());
  auto experiments = catalog->experiments(
      flags.page.limit == 0 ? -1 : std::int64_t(flags.page.limit), std::int64_t(flags.page.offset));
  if (flags.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : experiments) list.push_back(experiment_json(e));
    print_json({{"total", total}, {"offset", flags.page.offset}, {"experiments", list}});
    return;
  }
  if (total == 0) {
    std::printf("no experiments yet in %s; 'archml train ... --experiment NAME' records one\n",
                catalog->path().c_str());
    return;
  }
  std::vector<TableRow> rows;
  for (const auto& e : experiments)
    rows.push_back(
        {std::to_string(e.id), e.name, std::to_string(e.runs), format_time(e.created_at)});
  print_table({"ID", "EXPERIMENT", "RUNS", "CREATED (UTC)"}, rows);
  print_page_footer(flags.page.offset, experiments.size(), total, "experiments");
}

void show_experiment(const jobs::JobContext& context, const ExperimentsFlags& flags) {
  auto catalog = read_catalog(context);
  auto experiment = catalog->experiment(flags.name);
  auto runs = catalog->runs(flags.name);
  auto [begin, end] = flags.page.range(runs.size());
  std::vector<track::Run> page(runs.begin() + long(begin), runs.begin() + long(end));
  auto details = catalog->run_details(page);
  if (flags.json) {
    nlohmann::json json = experiment_json(experiment);
    json["runs"] = nlohmann::json::array();
    for (const auto& run : details) json["runs"].push_back(run_json(run, false));
    json["offset"] = begin;
    print_json(json);
    return;
  }
  std::printf("experiment %s (id %lld), created %s UTC, %zu runs\n", experiment.name.c_str(),
              static_cast<long long>(experiment.id), format_time(experiment.created_at).c_str(),
              runs.size());
  if (runs.empty()) return;
  std::vector<TableRow> rows;
  for (const auto& run : details) {
    auto status = run.status();
    rows.push_back({std::to_string(run.run.id), run.run.name,
                    status ? track::to_string(*status) : "-", std::to_string(run.jobs.size()),
                    format_time(run.run.created_at)});
  }
  std::printf("\n");
  print_table({"ID", "RUN", "STATUS", "JOBS", "CREATED (UTC)"}, rows);
  print_page_footer(begin, details.size(), runs.size(), "runs");
}

void delete_experiment(const jobs::JobContext& context, const ExperimentsFlags& flags) {
  if (!flags.yes)
    throw_invalid("'experiments delete " + flags.name +
                  "' removes the experiment with all its runs, jobs and metrics from the "
                  "catalog (artifact files stay); add --yes to confirm");
  auto catalog = open_catalog(context);
  const auto runs = catalog->delete_experiment(flags.name);
  if (flags.json) {
    print_json({{"deleted", flags.name}, {"runs", runs}});
    return;
  }
  std::printf("deleted experiment %s and its %lld runs\n", flags.name.c_str(),
              static_cast<long long>(runs));
}

}  // namespace

void add_experiments_command(CLI::App& app, const jobs::JobContext& context) {
  auto flags = std::make_shared<ExperimentsFlags>();
  auto* command = app.add_subcommand(
      "experiments",
      "List, show or delete the experiments of the catalog (docs/catalog.md).\n\n"
      "An experiment groups runs (SageMaker's trials); 'archml train --experiment NAME' creates "
      "one.");
  command->require_subcommand(1);

  auto* list = command->add_subcommand("list", "Every experiment with its number of runs");
  list->add_flag("--json", flags->json, "Print JSON for scripts");
  add_page_flags(*list, flags->page, "experiments");
  list->callback([flags, &context] { list_experiments(context, *flags); });

  auto* show = command->add_subcommand("show", "One experiment and its runs");
  show->add_option("NAME", flags->name, "The experiment")->required();
  show->add_flag("--json", flags->json, "Print JSON for scripts");
  add_page_flags(*show, flags->page, "runs");
  show->callback([flags, &context] { show_experiment(context, *flags); });

  auto* remove = command->add_subcommand(
      "delete", "Delete an experiment and everything recorded under it (needs --yes)");
  remove->add_option("NAME", flags->name, "The experiment")->required();
  remove->add_flag("--yes", flags->yes, "Confirm the deletion (nothing is asked interactively)");
  remove->add_flag("--json", flags->json, "Print JSON for scripts");
  remove->callback([flags, &context] { delete_experiment(context, *flags); });
}

}  // namespace archml::cli
