#include "archml/track/model_registry.h"

#include <nlohmann/json.hpp>

#include "archml/core/error.h"

namespace archml::track {
namespace {

using Lock = std::lock_guard<std::recursive_mutex>;

const char* const kBundleManifest = "bundle/bundle.json";
const char* const kBundleModel = "bundle/model.json";

const char* const kVersionSelect =
    "SELECT v.id, g.name, v.version, v.status, v.status_note, v.status_changed_at, "
    "v.description, v.created_at, v.run_id, v.job_id, v.experiment, v.run_name, v.bundle_uri, "
    "v.model_sha256, v.data_digest, v.data_uri, v.recipe_digest, v.recipe_source, "
    "v.parameters, v.metrics FROM model_versions v JOIN model_groups g ON g.id = v.group_id ";

std::optional<std::int64_t> optional_id(const Statement& row, int column) {
  if (row.is_null(column)) return std::nullopt;
  return row.int64(column);
}

ModelVersion read_version(const Statement& row) {
  ModelVersion version;
  version.id = row.int64(0);
  version.group = row.text(1);
  version.version = row.int64(2);
  version.status = parse_approval_status(row.text(3));
  version.status_note = row.text(4);
  version.status_changed_at = row.real(5);
  version.description = row.text(6);
  version.created_at = row.real(7);
  ModelLineage& lineage = version.lineage;
  lineage.run_id = optional_id(row, 8);
  lineage.job_id = optional_id(row, 9);
  lineage.experiment = row.text(10);
  lineage.run = row.text(11);
  lineage.bundle_uri = row.text(12);
  lineage.model_sha256 = row.text(13);
  lineage.data_digest = row.text(14);
  lineage.data_uri = row.text(15);
  lineage.recipe_digest = row.text(16);
  lineage.recipe_source = row.text(17);
  lineage.parameters =
      nlohmann::json::parse(row.text(18)).get<std::map<std::string, std::string>>();
  lineage.metrics = nlohmann::json::parse(row.text(19)).get<std::map<std::string, double>>();
  return version;
}

// "xxh64:0123 file:///data.csv" -> {"xxh64:0123", "file:///data.csv"}: how a training
// job records a lineage source (jobs/train_job.cpp).
std::pair<std::string, std::string> split_source(const std::string& source) {
  const auto space = source.find(' ');
  if (space == std::string::npos) return {source, ""};
  return {source.substr(0, space), source.substr(space + 1)};
}

void bind_id(Statement& statement, int index, const std::optional<std::int64_t>& id) {
  if (id)
    statement.bind(index, *id);
  else
    statement.bind(index, std::nullopt);
}

std::string strip_suffix(const std::string& text, const std::string& suffix) {
  return text.substr(0, text.size() - suffix.size());
}

std::string version_list(const std::vector<std::int64_t>& numbers) {
  std::vector<std::string> names;
  for (auto number : numbers) names.push_back(std::to_string(number));
  return join_names(names);
}

}  // namespace

std::string to_string(ApprovalStatus status) {
  switch (status) {
    case ApprovalStatus::kPendingManualApproval:
      return "PendingManualApproval";
    case ApprovalStatus::kApproved:
      return "Approved";
    case ApprovalStatus::kRejected:
      return "Rejected";
  }
  return "?";
}

ApprovalStatus parse_approval_status(const std::string& text) {
  for (auto status : {ApprovalStatus::kPendingManualApproval, ApprovalStatus::kApproved,
                      ApprovalStatus::kRejected})
    if (to_string(status) == text) return status;
  throw_invalid("unknown approval status '" + text +
                "'; expected PendingManualApproval, Approved or Rejected");
}

ModelRegistry::ModelRegistry(std::shared_ptr<Catalog> catalog) : catalog_(std::move(catalog)) {}

ModelLineage ModelRegistry::training_lineage(std::int64_t job_id) {
  Lock lock(catalog_->mutex_);
  sqlite3* db = catalog_->connection_.handle();
  const Job job = catalog_->job(job_id);
  const Run run = catalog_->run(job.run_id);
  const std::string job_name =
      "job " + std::to_string(job_id) + " of run " + run.experiment + "/" + run.name;
  if (job.kind != JobKind::kTraining)
    throw_invalid(job_name + " is a " + to_string(job.kind) +
                  " job; only a training job's bundle can be registered");
  if (job.status != JobStatus::kCompleted)
    throw_invalid("the training " + job_name + " is " + to_string(job.status) +
                  (job.failure_reason.empty() ? "" : " (" + job.failure_reason + ")") +
                  "; only a Completed training can be registered: train again, then register "
                  "the new run");
  ModelLineage lineage;
  lineage.run_id = run.id;
  lineage.job_id = job_id;
  lineage.experiment = run.experiment;
  lineage.run = run.name;

  Statement artifacts(db, "SELECT name, uri, sha256 FROM artifacts WHERE job_id = ?1");
  artifacts.bind(1, job_id);
  while (artifacts.step()) {
    const std::string name = artifacts.text(0);
    if (name == kBundleManifest)
      lineage.bundle_uri = strip_suffix(artifacts.text(1), "/bundle.json");
    else if (name == kBundleModel)
      lineage.model_sha256 = artifacts.text(2);
  }
  if (lineage.bundle_uri.empty() || lineage.model_sha256.empty())
    throw_invalid("the training " + job_name +
                  " recorded no bundle (no bundle/bundle.json and bundle/model.json artifacts)");

  Statement sources(db,
                    "SELECT source_kind, source FROM lineage WHERE job_id = ?1 AND "
                    "target_kind = 'bundle' ORDER BY id");
  sources.bind(1, job_id);
  while (sources.step()) {
    auto [digest, uri] = split_source(sources.text(1));
    if (sources.text(0) == "data") {
      lineage.data_digest = digest;
      lineage.data_uri = uri;
    } else if (sources.text(0) == "recipe") {
      lineage.recipe_digest = digest;
      lineage.recipe_source = uri;
    }
  }
  Statement parameters(db, "SELECT name, value FROM parameters WHERE job_id = ?1");
  parameters.bind(1, job_id);
  while (parameters.step()) lineage.parameters[parameters.text(0)] = parameters.text(1);
  for (const auto& summary : catalog_->metric_summaries(job_id))
    if (summary.name.rfind("resource:", 0) != 0) lineage.metrics[summary.name] = summary.last;
  return lineage;
}

ModelVersion ModelRegistry::register_version(const std::string& group,
                                             const std::string& description,
                                             const ModelLineage& lineage) {
  check_group_name(group);
  Lock lock(catalog_->mutex_);
  Connection& connection = catalog_->connection_;
  std::int64_t number = 0;
  connection.write_transaction([&] {
    const double now = now_seconds();
    Statement(connection.handle(),
              "INSERT INTO model_groups (name, created_at) VALUES (?1, ?2) "
              "ON CONFLICT (name) DO NOTHING")
        .bind_all(group, now)
        .run();
    // Inside BEGIN IMMEDIATE: no other process reads or bumps the counter meanwhile.
    Statement next(connection.handle(),
                   "UPDATE model_groups SET last_version = last_version + 1 WHERE name = ?1 "
                   "RETURNING id, last_version");
    next.bind(1, group);
    next.step();
    const std::int64_t group_id = next.int64(0);
    number = next.int64(1);
    next.reset();  // finishes the UPDATE before the next statement
    Statement insert(connection.handle(),
                     "INSERT INTO model_versions (group_id, version, status, status_changed_at, "
                     "description, bundle_uri, model_sha256, run_id, job_id, experiment, "
                     "run_name, data_digest, data_uri, recipe_digest, recipe_source, parameters, "
                     "metrics, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                     "?12, ?13, ?14, ?15, ?16, ?17, ?4)");
    insert.bind_all(group_id, number, to_string(ApprovalStatus::kPendingManualApproval), now,
                    description, lineage.bundle_uri, lineage.model_sha256);
    bind_id(insert, 8, lineage.run_id);
    bind_id(insert, 9, lineage.job_id);
    insert.bind(10, lineage.experiment)
        .bind(11, lineage.run)
        .bind(12, lineage.data_digest)
        .bind(13, lineage.data_uri)
        .bind(14, lineage.recipe_digest)
        .bind(15, lineage.recipe_source)
        .bind(16, nlohmann::json(lineage.parameters).dump())
        .bind(17, nlohmann::json(lineage.metrics).dump())
        .run();
  });
  return version(ModelUri{group, number, {}});
}

std::int64_t ModelRegistry::group_id(const std::string& name) {
  Lock lock(catalog_->mutex_);
  Statement select(catalog_->connection_.handle(), "SELECT id FROM model_groups WHERE name = ?1");
  select.bind(1, name);
  if (select.step()) return select.int64(0);
  std::vector<std::string> names;
  for (const auto& group : groups()) names.push_back(group.name);
  throw_not_found("no model group '" + name + "' in the registry (groups: " + join_names(names) +
                  "); 'archml models register RUN --group " + name + "' creates it");
}

std::vector<ModelGroup> ModelRegistry::groups() {
  Lock lock(catalog_->mutex_);
  sqlite3* db = catalog_->connection_.handle();
  std::vector<ModelGroup> list;
  std::map<std::int64_t, std::size_t> index;
  Statement select(db,
                   "SELECT g.id, g.name, g.created_at, count(v.id), coalesce(max(v.version), 0), "
                   "max(CASE WHEN v.status = 'Approved' THEN v.version END) FROM model_groups g "
                   "LEFT JOIN model_versions v ON v.group_id = g.id GROUP BY g.id ORDER BY g.name");
  while (select.step()) {
    index[select.int64(0)] = list.size();
    list.push_back({select.int64(0),
                    select.text(1),
                    select.real(2),
                    select.int64(3),
                    select.int64(4),
                    optional_id(select, 5),
                    {}});
  }
  Statement aliases(db,
                    "SELECT a.group_id, a.alias, v.version FROM model_aliases a "
                    "JOIN model_versions v ON v.id = a.version_id");
  while (aliases.step())
    list[index.at(aliases.int64(0))].aliases[aliases.text(1)] = aliases.int64(2);
  return list;
}

ModelGroup ModelRegistry::group(const std::string& name) {
  const std::int64_t id = group_id(name);
  for (auto& group : groups())
    if (group.id == id) return group;
  throw_not_found("the model group '" + name + "' was deleted meanwhile");
}

std::vector<ModelVersion> ModelRegistry::select_versions(
    const std::string& condition, const std::function<void(Statement&)>& bind) {
  Lock lock(catalog_->mutex_);
  sqlite3* db = catalog_->connection_.handle();
  std::vector<ModelVersion> list;
  std::map<std::int64_t, std::size_t> index;
  Statement select(db,
                   std::string(kVersionSelect) + "WHERE " + condition + " ORDER BY v.version DESC");
  bind(select);
  while (select.step()) {
    index[select.int64(0)] = list.size();
    list.push_back(read_version(select));
  }
  Statement aliases(db, "SELECT version_id, alias FROM model_aliases ORDER BY alias");
  while (aliases.step())
    if (auto found = index.find(aliases.int64(0)); found != index.end())
      list[found->second].aliases.push_back(aliases.text(1));
  return list;
}

std::vector<ModelVersion> ModelRegistry::versions(const std::string& group) {
  const std::int64_t id = group_id(group);
  return select_versions("v.group_id = ?1", [&](Statement& s) { s.bind(1, id); });
}

void ModelRegistry::throw_missing_version(const ModelUri& uri) {
  const ModelGroup found = group(uri.group);  // throws for an unknown group
  const std::string hint = "; 'archml models show " + uri.group + "' lists its versions";
  if (uri.version) {
    std::vector<std::int64_t> numbers;
    for (const auto& version : versions(uri.group)) numbers.push_back(version.version);
    throw_not_found("model group '" + uri.group + "' has no version " +
                    std::to_string(*uri.version) + " (versions: " + version_list(numbers) + ")");
  }
  if (uri.latest_approved())
    throw_not_found("model group '" + uri.group +
                    "' has no Approved version yet; approve one with 'archml models approve " +
                    uri.group + " VERSION'" + hint);
  std::vector<std::string> aliases;
  for (const auto& [alias, version] : found.aliases) aliases.push_back(alias);
  throw_not_found("model group '" + uri.group + "' has no alias '" + uri.alias +
                  "' (aliases: " + join_names(aliases) + "); set it with 'archml models alias " +
                  uri.group + " " + uri.alias + " VERSION'");
}

std::int64_t ModelRegistry::version_number(const ModelUri& uri) {
  Lock lock(catalog_->mutex_);
  std::string sql;
  if (uri.version)
    sql =
        "SELECT v.version FROM model_versions v JOIN model_groups g ON g.id = v.group_id "
        "WHERE g.name = ?1 AND v.version = ?2";
  else if (uri.latest_approved())
    sql =
        "SELECT max(v.version) FROM model_versions v JOIN model_groups g ON g.id = v.group_id "
        "WHERE g.name = ?1 AND v.status = 'Approved'";
  else
    sql =
        "SELECT v.version FROM model_aliases a JOIN model_groups g ON g.id = a.group_id "
        "JOIN model_versions v ON v.id = a.version_id WHERE g.name = ?1 AND a.alias = ?2";
  Statement select(catalog_->connection_.handle(), sql);
  select.bind(1, uri.group);
  if (uri.version)
    select.bind(2, *uri.version);
  else if (!uri.latest_approved())
    select.bind(2, uri.alias);
  if (!select.step() || select.is_null(0)) throw_missing_version(uri);
  return select.int64(0);
}

ModelVersion ModelRegistry::version(const ModelUri& uri) {
  Lock lock(catalog_->mutex_);
  const std::int64_t number = version_number(uri);
  auto found = select_versions("g.name = ?1 AND v.version = ?2",
                               [&](Statement& s) { s.bind(1, uri.group).bind(2, number); });
  if (found.empty()) throw_missing_version(ModelUri{uri.group, number, {}});
  return found.front();
}

void ModelRegistry::write(const std::function<void()>& body) {
  Lock lock(catalog_->mutex_);
  catalog_->connection_.write_transaction(body);
}

void ModelRegistry::execute(const std::string& sql, const std::function<void(Statement&)>& bind) {
  Statement statement(catalog_->connection_.handle(), sql);
  bind(statement);
  statement.run();
}

ModelVersion ModelRegistry::set_status(const std::string& group, std::int64_t version,
                                       ApprovalStatus status, const std::string& note) {
  const ModelUri uri{group, version, {}};
  write([&] {
    const std::int64_t id = this->version(uri).id;
    execute(
        "UPDATE model_versions SET status = ?1, status_note = ?2, status_changed_at = ?3 "
        "WHERE id = ?4",
        [&](Statement& s) { s.bind_all(to_string(status), note, now_seconds(), id); });
  });
  return this->version(uri);
}

std::optional<std::int64_t> ModelRegistry::set_alias(const std::string& group,
                                                     const std::string& alias, std::int64_t version,
                                                     bool force) {
  check_alias_name(alias);
  std::optional<std::int64_t> previous;
  write([&] {
    const ModelVersion target = this->version(ModelUri{group, version, {}});
    if (target.status == ApprovalStatus::kRejected && !force)
      throw_invalid("version " + std::to_string(version) + " of " + group +
                    " is Rejected; approve it first ('archml models approve " + group + " " +
                    std::to_string(version) + "'), choose another version, or pass --force");
    Statement current(catalog_->connection_.handle(),
                      "SELECT v.version FROM model_aliases a JOIN model_versions v ON v.id = "
                      "a.version_id WHERE a.group_id = (SELECT group_id FROM model_versions "
                      "WHERE id = ?1) AND a.alias = ?2");
    current.bind_all(target.id, alias);
    if (current.step()) previous = current.int64(0);
    execute(
        "INSERT INTO model_aliases (group_id, alias, version_id, updated_at) "
        "SELECT group_id, ?1, id, ?2 FROM model_versions WHERE id = ?3 "
        "ON CONFLICT (group_id, alias) DO UPDATE SET version_id = excluded.version_id, "
        "updated_at = excluded.updated_at",
        [&](Statement& s) { s.bind_all(alias, now_seconds(), target.id); });
  });
  return previous;
}

std::int64_t ModelRegistry::remove_alias(const std::string& group, const std::string& alias) {
  std::int64_t previous = 0;
  write([&] {
    previous = version_number(ModelUri{group, {}, alias});
    execute(
        "DELETE FROM model_aliases WHERE alias = ?1 AND group_id = "
        "(SELECT id FROM model_groups WHERE name = ?2)",
        [&](Statement& s) { s.bind_all(alias, group); });
  });
  return previous;
}

std::vector<std::string> ModelRegistry::delete_version(const std::string& group,
                                                       std::int64_t version, bool force) {
  std::vector<std::string> aliases;
  write([&] {
    const ModelVersion target = this->version(ModelUri{group, version, {}});
    if (!target.aliases.empty() && !force)
      throw_invalid("version " + std::to_string(version) + " of " + group + " is what alias(es) " +
                    join_names(target.aliases) +
                    " point at; move them first ('archml models alias " + group + " " +
                    target.aliases.front() + " OTHER_VERSION') or pass --force to delete them too");
    execute("DELETE FROM model_versions WHERE id = ?1",
            [&](Statement& s) { s.bind(1, target.id); });
    aliases = target.aliases;
  });
  return aliases;
}

std::int64_t ModelRegistry::delete_group(const std::string& group, bool force) {
  std::int64_t removed = 0;
  write([&] {
    const ModelGroup found = this->group(group);
    if (found.versions > 0 && !force)
      throw_invalid("model group '" + group + "' still has " + std::to_string(found.versions) +
                    " version(s); delete them one by one, or pass --force to delete the group "
                    "with every version and alias");
    execute("DELETE FROM model_groups WHERE id = ?1", [&](Statement& s) { s.bind(1, found.id); });
    removed = found.versions;
  });
  return removed;
}

}  // namespace archml::track
