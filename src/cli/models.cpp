// `archml models register|list|show|approve|reject|alias|compare|delete`: the model
// registry (docs/registry.md) — numbered versions of model groups with their lineage,
// SageMaker's approval statuses and MLflow's aliases, named by models:/ URIs wherever a
// command takes --model.
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "archml/core/error.h"
#include "archml/jobs/model_registration.h"
#include "archml/track/model_registry.h"
#include "cli/catalog_output.h"
#include "cli/commands.h"
#include "cli/table.h"

namespace archml::cli {
namespace {

struct ModelsFlags {
  std::string source;
  std::string group;
  std::vector<std::string> versions;
  std::string alias;
  std::string description;
  std::string note;
  std::string status;
  bool remove = false;
  bool force = false;
  bool json = false;
};

// For the subcommands that change the registry: the catalog opened for writing.
track::ModelRegistry open_registry(const jobs::JobContext& context) {
  return track::ModelRegistry(open_catalog(context));
}

// For list, show and compare: read-only (created nothing, works on read-only media).
track::ModelRegistry read_registry(const jobs::JobContext& context) {
  return track::ModelRegistry(read_catalog(context));
}

// A VERSION argument: a number, an alias or latest-approved, as the number it names now.
std::int64_t version_number(track::ModelRegistry& registry, const std::string& group,
                            const std::string& reference) {
  return registry.version_number(track::parse_version_reference(group, reference));
}

std::string aliases_text(const std::vector<std::string>& aliases) {
  std::string text;
  for (const auto& alias : aliases) text += (text.empty() ? "" : ",") + alias;
  return text.empty() ? "-" : text;
}

nlohmann::json version_json(const track::ModelVersion& v) {
  const track::ModelLineage& l = v.lineage;
  auto id = [](const std::optional<std::int64_t>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json();
  };
  return {{"group", v.group},
          {"version", v.version},
          {"uri", v.uri()},
          {"status", track::to_string(v.status)},
          {"status_note", v.status_note},
          {"status_changed_at", v.status_changed_at},
          {"description", v.description},
          {"created_at", v.created_at},
          {"aliases", v.aliases},
          {"bundle_uri", l.bundle_uri},
          {"model_sha256", l.model_sha256},
          {"lineage",
           {{"experiment", l.experiment},
            {"run", l.run},
            {"run_id", id(l.run_id)},
            {"job_id", id(l.job_id)},
            {"data", {{"digest", l.data_digest}, {"uri", l.data_uri}}},
            {"recipe", {{"digest", l.recipe_digest}, {"source", l.recipe_source}}}}},
          {"parameters", l.parameters},
          {"metrics", l.metrics}};
}

nlohmann::json group_json(const track::ModelGroup& g) {
  return {
      {"name", g.name},
      {"created_at", g.created_at},
      {"versions", g.versions},
      {"latest_version", g.latest_version ? nlohmann::json(g.latest_version) : nlohmann::json()},
      {"latest_approved",
       g.latest_approved ? nlohmann::json(*g.latest_approved) : nlohmann::json()},
      {"aliases", g.aliases}};
}

void print_versions_table(const std::vector<track::ModelVersion>& versions) {
  std::vector<TableRow> rows;
  for (const auto& v : versions)
    rows.push_back({std::to_string(v.version), track::to_string(v.status), aliases_text(v.aliases),
                    v.lineage.experiment + "/" + v.lineage.run, format_time(v.created_at),
                    v.description});
  print_table({"VERSION", "STATUS", "ALIASES", "RUN", "CREATED (UTC)", "DESCRIPTION"}, rows);
}

void print_version(const track::ModelVersion& v) {
  const track::ModelLineage& l = v.lineage;
  std::printf("%s  %s%s\n", v.uri().c_str(), track::to_string(v.status).c_str(),
              v.status_note.empty() ? "" : (" (" + v.status_note + ")").c_str());
  std::vector<TableRow> rows = {
      {"aliases", aliases_text(v.aliases)},
      {"description", v.description.empty() ? "-" : v.description},
      {"registered", format_time(v.created_at) + " UTC"},
      {"status changed", format_time(v.status_changed_at) + " UTC"},
      {"bundle", l.bundle_uri},
      {"model.json sha256", l.model_sha256},
      {"run", l.experiment + "/" + l.run +
                  (l.run_id ? " (id " + std::to_string(*l.run_id) + ")" : " (deleted)")},
      {"training job", l.job_id ? std::to_string(*l.job_id) : "- (deleted)"},
      {"training data", l.data_digest + " " + l.data_uri},
      {"recipe", l.recipe_digest + " " + l.recipe_source}};
  print_table({"FIELD", "VALUE"}, rows);
  print_name_values("parameters", l.parameters);
  std::map<std::string, std::string> metrics;
  for (const auto& [name, value] : l.metrics) metrics[name] = format_value(value);
  print_name_values("metrics (the training job's final values)", metrics);
}

void print_or_json(const track::ModelVersion& version, bool json, const std::string& message) {
  if (json)
    print_json(version_json(version));
  else
    std::printf("%s\n", message.c_str());
}

void register_version(const jobs::JobContext& context, const ModelsFlags& flags) {
  auto registry = open_registry(context);
  const auto version =
      jobs::register_model(context, registry, flags.source, flags.group, flags.description);
  const std::string number = std::to_string(version.version);
  print_or_json(version, flags.json,
                "registered " + version.uri() + " (" + track::to_string(version.status) +
                    ") from run " + version.lineage.experiment + "/" + version.lineage.run +
                    ", training job " + std::to_string(version.lineage.job_id.value_or(0)) +
                    "\n  bundle " + version.lineage.bundle_uri + "\nnext: archml models approve " +
                    flags.group + " " + number + ", then archml models alias " + flags.group +
                    " production " + number);
}

void list_models(const jobs::JobContext& context, const ModelsFlags& flags) {
  auto registry = read_registry(context);
  std::optional<track::ApprovalStatus> status;
  if (!flags.status.empty()) status = track::parse_approval_status(flags.status);
  if (flags.group.empty()) {
    if (status) throw_invalid("--status filters the versions of one group: name the GROUP");
    const auto groups = registry.groups();
    if (flags.json) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& group : groups) list.push_back(group_json(group));
      print_json({{"groups", list}});
      return;
    }
    if (groups.empty()) {
      std::printf("no model groups yet; 'archml models register RUN --group NAME' creates one\n");
      return;
    }
    std::vector<TableRow> rows;
    for (const auto& g : groups) {
      std::string aliases;
      for (const auto& [alias, version] : g.aliases)
        aliases += (aliases.empty() ? "" : ",") + alias + "=" + std::to_string(version);
      rows.push_back({g.name, std::to_string(g.versions),
                      g.latest_version ? std::to_string(g.latest_version) : "-",
                      g.latest_approved ? std::to_string(*g.latest_approved) : "-",
                      aliases.empty() ? "-" : aliases, format_time(g.created_at)});
    }
    print_table({"GROUP", "VERSIONS", "LATEST", "LATEST APPROVED", "ALIASES", "CREATED (UTC)"},
                rows);
    return;
  }
  std::vector<track::ModelVersion> versions;
  for (auto& version : registry.versions(flags.group))
    if (!status || version.status == *status) versions.push_back(std::move(version));
  if (flags.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& version : versions) list.push_back(version_json(version));
    print_json({{"group", flags.group}, {"versions", list}});
    return;
  }
  if (versions.empty()) {
    std::printf("no %sversions in group %s\n", status ? (flags.status + " ").c_str() : "",
                flags.group.c_str());
    return;
  }
  print_versions_table(versions);
}

void show_model(const jobs::JobContext& context, const ModelsFlags& flags) {
  auto registry = read_registry(context);
  if (track::is_model_uri(flags.group) || !flags.versions.empty()) {
    const track::ModelUri uri =
        track::is_model_uri(flags.group)
            ? track::parse_model_uri(flags.group)
            : track::parse_version_reference(flags.group, flags.versions.front());
    const auto version = registry.version(uri);
    if (flags.json)
      print_json(version_json(version));
    else
      print_version(version);
    return;
  }
  const auto group = registry.group(flags.group);
  const auto versions = registry.versions(flags.group);
  if (flags.json) {
    nlohmann::json json = group_json(group);
    json["version_list"] = nlohmann::json::array();
    for (const auto& version : versions) json["version_list"].push_back(version_json(version));
    print_json(json);
    return;
  }
  std::printf("model group %s, created %s UTC: %lld version(s), latest approved %s\n\n",
              group.name.c_str(), format_time(group.created_at).c_str(),
              static_cast<long long>(group.versions),
              group.latest_approved ? std::to_string(*group.latest_approved).c_str() : "none");
  print_versions_table(versions);
}

void change_status(const jobs::JobContext& context, const ModelsFlags& flags,
                   track::ApprovalStatus status) {
  auto registry = open_registry(context);
  const std::int64_t number = version_number(registry, flags.group, flags.versions.front());
  const auto version = registry.set_status(flags.group, number, status, flags.note);
  print_or_json(
      version, flags.json,
      version.uri() + " is now " + track::to_string(version.status) +
          (version.aliases.empty() ? "" : " (aliases: " + aliases_text(version.aliases) + ")"));
}

void set_alias(const jobs::JobContext& context, const ModelsFlags& flags) {
  auto registry = open_registry(context);
  const std::string uri = "models:/" + flags.group + "@" + flags.alias;
  if (flags.remove) {
    if (!flags.versions.empty()) throw_invalid("--delete takes no VERSION");
    const std::int64_t previous = registry.remove_alias(flags.group, flags.alias);
    if (flags.json)
      print_json({{"group", flags.group},
                  {"alias", flags.alias},
                  {"version", nullptr},
                  {"previous_version", previous}});
    else
      std::printf("removed alias %s (it pointed at version %lld)\n", uri.c_str(),
                  static_cast<long long>(previous));
    return;
  }
  if (flags.versions.empty())
    throw_invalid("name the VERSION the alias points at (e.g. 'archml models alias " + flags.group +
                  " " + flags.alias + " 3'), or pass --delete to remove it");
  const std::int64_t number = version_number(registry, flags.group, flags.versions.front());
  const auto previous = registry.set_alias(flags.group, flags.alias, number, flags.force);
  if (flags.json) {
    print_json({{"group", flags.group},
                {"alias", flags.alias},
                {"version", number},
                {"previous_version", previous ? nlohmann::json(*previous) : nlohmann::json()}});
    return;
  }
  std::printf("%s -> version %lld%s\n", uri.c_str(), static_cast<long long>(number),
              previous ? (" (was " + std::to_string(*previous) + ")").c_str() : " (new alias)");
}

void compare_versions(const jobs::JobContext& context, const ModelsFlags& flags) {
  auto registry = read_registry(context);
  std::vector<track::ModelVersion> versions;
  for (const auto& reference : flags.versions)
    versions.push_back(registry.version(track::parse_version_reference(flags.group, reference)));
  std::set<std::string> parameter_names, metric_names;
  for (const auto& v : versions) {
    for (const auto& [name, value] : v.lineage.parameters) parameter_names.insert(name);
    for (const auto& [name, value] : v.lineage.metrics) metric_names.insert(name);
  }
  auto lineage_rows = [&] {
    std::vector<TableRow> rows = {{"status"}, {"aliases"}, {"run"}, {"training data"}, {"recipe"}};
    for (const auto& v : versions) {
      rows[0].push_back(track::to_string(v.status));
      rows[1].push_back(aliases_text(v.aliases));
      rows[2].push_back(v.lineage.experiment + "/" + v.lineage.run);
      rows[3].push_back(v.lineage.data_digest);
      rows[4].push_back(v.lineage.recipe_digest);
    }
    return rows;
  };
  if (flags.json) {
    nlohmann::json json = {{"group", flags.group},
                           {"versions", nlohmann::json::array()},
                           {"parameters", nlohmann::json::object()},
                           {"metrics", nlohmann::json::object()}};
    for (const auto& v : versions) json["versions"].push_back(version_json(v));
    for (const auto& name : parameter_names)
      for (const auto& v : versions) {
        auto found = v.lineage.parameters.find(name);
        json["parameters"][name].push_back(
            found == v.lineage.parameters.end() ? nlohmann::json() : nlohmann::json(found->second));
      }
    for (const auto& name : metric_names)
      for (const auto& v : versions) {
        auto found = v.lineage.metrics.find(name);
        json["metrics"][name].push_back(
            found == v.lineage.metrics.end() ? nlohmann::json() : nlohmann::json(found->second));
      }
    print_json(json);
    return;
  }
  TableRow columns;
  for (const auto& v : versions) columns.push_back("version " + std::to_string(v.version));
  std::vector<TableRow> parameters, metrics;
  for (const auto& name : parameter_names) {
    TableRow row = {name};
    for (const auto& v : versions) {
      auto found = v.lineage.parameters.find(name);
      row.push_back(found == v.lineage.parameters.end() ? "-" : found->second);
    }
    parameters.push_back(std::move(row));
  }
  for (const auto& name : metric_names) {
    TableRow row = {name};
    for (const auto& v : versions) {
      auto found = v.lineage.metrics.find(name);
      row.push_back(found == v.lineage.metrics.end() ? "-" : format_value(found->second));
    }
    metrics.push_back(std::move(row));
  }
  print_comparison(flags.group + " (* differs)", columns, lineage_rows());
  print_comparison("parameters", columns, parameters);
  print_comparison("metrics (the training job's final values)", columns, metrics);
}

void delete_model(const jobs::JobContext& context, const ModelsFlags& flags) {
  auto registry = open_registry(context);
  if (flags.versions.empty()) {
    const std::int64_t removed = registry.delete_group(flags.group, flags.force);
    if (flags.json)
      print_json({{"group", flags.group}, {"deleted_versions", removed}});
    else
      std::printf("deleted model group %s with %lld version(s)\n", flags.group.c_str(),
                  static_cast<long long>(removed));
    return;
  }
  const auto reference = track::parse_version_reference(flags.group, flags.versions.front());
  if (!reference.version)
    throw_invalid("delete takes a version number, not an alias ('" + flags.versions.front() +
                  "'): 'archml models show " + flags.group + "' lists them");
  const auto aliases = registry.delete_version(flags.group, *reference.version, flags.force);
  if (flags.json) {
    print_json({{"group", flags.group},
                {"deleted_version", *reference.version},
                {"removed_aliases", aliases}});
    return;
  }
  std::printf("deleted %s%s (its bundle stays in the artifact store with its run)\n",
              reference.text().c_str(),
              aliases.empty() ? "" : (" and its aliases " + aliases_text(aliases)).c_str());
}

CLI::App* add_json_flag(CLI::App* command, ModelsFlags& flags) {
  command->add_flag("--json", flags.json, "Print JSON for scripts (shapes in docs/registry.md)");
  return command;
}

}  // namespace

void add_models_command(CLI::App& app, const jobs::JobContext& context) {
  auto flags = std::make_shared<ModelsFlags>();
  auto* command = app.add_subcommand(
      "models",
      "Version, approve and alias trained models (docs/registry.md).\n\n"
      "The registry holds numbered versions of model groups, each pointing at a training\n"
      "job's bundle in the artifact store with its lineage (run, training data digest,\n"
      "recipe, parameters, metrics), an approval status and aliases.\n\n"
      "Statuses (SageMaker's): a version starts PendingManualApproval; 'approve' makes it\n"
      "Approved, 'reject' Rejected. Aliases (MLflow's) name one version each, e.g.\n"
      "production or staging, and move when set again.\n\n"
      "Model URIs work wherever --model is taken (evaluate, predict, serve):\n"
      "  models:/fraud/3                 version 3 of the group fraud\n"
      "  models:/fraud@production        the version the alias production points at\n"
      "  models:/fraud@latest-approved   the highest Approved version\n"
      "'archml serve --model models:/fraud@production' follows the alias: when it moves,\n"
      "the endpoint swaps the new version in without dropping requests.\n\n"
      "The loop:\n"
      "  archml train --data train.csv --target isFraud --out runs/fraud\n"
      "  archml models register runs/fraud --group fraud --description 'first cut'\n"
      "  archml models approve fraud 1\n"
      "  archml models alias fraud production 1\n"
      "  archml serve --model models:/fraud@production\n"
      "  ... train again, register version 2, compare, approve ...\n"
      "  archml models compare fraud production 2\n"
      "  archml models alias fraud production 2     # the endpoint follows\n\n"
      "VERSION arguments take a number, an alias or latest-approved. Exit codes: 2 invalid\n"
      "(a malformed name, a refused change), 3 not found (group, version, alias, run or\n"
      "bundle).");
  command->require_subcommand(1);

  auto* reg = command->add_subcommand(
      "register",
      "Register a training's bundle as the next version of a group.\n\n"
      "The group is created when new; the version starts PendingManualApproval.\n"
      "RUN_OR_BUNDLE is a training output or bundle folder (or its s3:// URI): the\n"
      "training job its bundle.json names; a tuning output folder: its best trial; or a run\n"
      "(id, name, EXPERIMENT/NAME): its newest training job. The version points at that\n"
      "job's bundle in the artifact store.\n"
      "Refused: a training that did not complete (exit 2), a bundle gone from the store\n"
      "(exit 3), a folder whose model.json is not what the job recorded (exit 2).\n\n"
      "Examples:\n"
      "  archml models register runs/fraud --group fraud --description 'eta 0.1, 200 rounds'\n"
      "  archml models register fraud/run-7 --group fraud\n"
      "  archml models register runs/paysim-tune --group fraud   # the best trial\n"
      "  archml models register s3://bucket/experiments/fraud/runs/run-7/training-12/bundle "
      "--group fraud");
  reg->add_option("RUN_OR_BUNDLE", flags->source,
                  "A bundle, training or tuning output folder, or a run")
      ->required();
  reg->add_option("--group", flags->group, "The model group (created on first use)")->required();
  reg->add_option("--description", flags->description, "What this version is, for people");
  add_json_flag(reg, *flags)->callback([flags, &context] { register_version(context, *flags); });

  auto* list = command->add_subcommand(
      "list",
      "List the model groups, or the versions of one group.\n\n"
      "Groups with their versions, latest, latest approved and aliases; or the versions\n"
      "of one GROUP, newest first.\n\n"
      "Examples:\n"
      "  archml models list\n"
      "  archml models list fraud --status PendingManualApproval");
  list->add_option("GROUP", flags->group, "List this group's versions");
  list->add_option("--status", flags->status,
                   "Only versions with this status: PendingManualApproval, Approved or Rejected");
  add_json_flag(list, *flags)->callback([flags, &context] { list_models(context, *flags); });

  auto* show = command->add_subcommand(
      "show",
      "Show one version with its lineage, or a group with its versions.\n\n"
      "A version shows its lineage, parameters and metrics; without VERSION, the group\n"
      "with its versions.\n\n"
      "Examples:\n"
      "  archml models show fraud 3\n"
      "  archml models show fraud production\n"
      "  archml models show models:/fraud@latest-approved --json");
  show->add_option("GROUP", flags->group, "The group, or a models:/ URI")->required();
  show->add_option("VERSION", flags->versions, "A number, an alias or latest-approved")
      ->expected(0, 1);
  add_json_flag(show, *flags)->callback([flags, &context] { show_model(context, *flags); });

  auto* approve = command->add_subcommand(
      "approve",
      "Mark a version Approved.\n\n"
      "models:/GROUP@latest-approved then names the highest Approved version.\n\n"
      "Example:\n  archml models approve fraud 3 --note 'beats v2 on aucpr, signed off by risk'");
  auto* reject = command->add_subcommand(
      "reject",
      "Mark a version Rejected.\n\n"
      "An alias still pointing at it keeps serving it; new aliases\n"
      "refuse it without --force.\n\n"
      "Example:\n  archml models reject fraud 4 --note 'recall dropped on the holdout'");
  for (auto* status_command : {approve, reject}) {
    status_command->add_option("GROUP", flags->group, "The model group")->required();
    status_command->add_option("VERSION", flags->versions, "A number or an alias")
        ->required()
        ->expected(1);
    status_command->add_option("--note", flags->note, "Why: kept with the status");
    add_json_flag(status_command, *flags);
  }
  approve->callback(
      [flags, &context] { change_status(context, *flags, track::ApprovalStatus::kApproved); });
  reject->callback(
      [flags, &context] { change_status(context, *flags, track::ApprovalStatus::kRejected); });

  auto* alias = command->add_subcommand(
      "alias",
      "Point an alias at a version, or remove it.\n\n"
      "ALIAS is created, or moved from the version it named; --delete removes it.\n"
      "A server started with --model models:/GROUP@ALIAS follows the move.\n"
      "'latest' and 'latest-approved' are reserved.\n\n"
      "Examples:\n"
      "  archml models alias fraud production 3\n"
      "  archml models alias fraud production staging   # promote what staging names\n"
      "  archml models alias fraud staging --delete");
  alias->add_option("GROUP", flags->group, "The model group")->required();
  alias->add_option("ALIAS", flags->alias, "e.g. production, staging, champion")->required();
  alias->add_option("VERSION", flags->versions, "A number, an alias or latest-approved")
      ->expected(0, 1);
  alias->add_flag("--delete", flags->remove, "Remove the alias");
  alias->add_flag("--force", flags->force, "Point at a Rejected version anyway");
  add_json_flag(alias, *flags)->callback([flags, &context] { set_alias(context, *flags); });

  auto* compare = command->add_subcommand(
      "compare",
      "Compare two or more versions side by side.\n\n"
      "Status, run, training data and recipe digests, parameters and metrics; '*' marks\n"
      "what differs.\n\n"
      "Example:\n  archml models compare fraud production 4");
  compare->add_option("GROUP", flags->group, "The model group")->required();
  compare->add_option("VERSION", flags->versions, "Two or more: numbers, aliases, latest-approved")
      ->required()
      ->expected(2, 16);
  add_json_flag(compare, *flags)->callback([flags, &context] {
    compare_versions(context, *flags);
  });

  auto* remove = command->add_subcommand(
      "delete",
      "Delete a version or a group.\n\n"
      "A deleted version's number is never given again; its bundle stays in the artifact\n"
      "store with its run. A version an alias points at needs --force, which removes the\n"
      "alias too. Without VERSION, deletes the group; one with versions needs --force.\n\n"
      "Examples:\n"
      "  archml models delete fraud 2\n"
      "  archml models delete fraud --force");
  remove->add_option("GROUP", flags->group, "The model group")->required();
  remove->add_option("VERSION", flags->versions, "A version number")->expected(0, 1);
  remove->add_flag("--force", flags->force, "Delete even what an alias points at");
  add_json_flag(remove, *flags)->callback([flags, &context] { delete_model(context, *flags); });
}

}  // namespace archml::cli
