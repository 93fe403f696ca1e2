#include "cli/catalog_output.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "archml/track/workspace.h"

namespace archml::cli {

std::shared_ptr<track::Catalog> read_catalog(const jobs::JobContext& context) {
  return track::Workspace::open_existing(context.workspace).catalog();
}

std::shared_ptr<track::Catalog> open_catalog(const jobs::JobContext& context) {
  return track::Workspace::open(context.workspace).catalog();
}

std::shared_ptr<track::Catalog> watch_catalog(const jobs::JobContext& context) {
  std::error_code error;
  if (std::filesystem::is_regular_file(context.workspace.home / "catalog.db", error))
    return read_catalog(context);
  return open_catalog(context);
}

std::pair<std::size_t, std::size_t> PageFlags::range(std::size_t total) const {
  const std::size_t begin = std::min(offset, total);
  const std::size_t end = limit == 0 ? total : std::min(total, begin + limit);
  return {begin, end};
}

void add_page_flags(CLI::App& command, PageFlags& flags, const std::string& noun) {
  command.add_option("--limit", flags.limit, "At most this many " + noun + " (0: all)")
      ->default_val(flags.limit);
  command
      .add_option("--offset", flags.offset,
                  "Skip this many " + noun + " first (the next page: --offset LIMIT)")
      ->default_val(0);
}

namespace {

nlohmann::json number(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json();
}

}  // namespace

nlohmann::json summary_json(const track::MetricSummary& s) {
  return {{"count", s.count},        {"min", number(s.min)}, {"max", number(s.max)},
          {"last", number(s.last)},  {"avg", number(s.avg)}, {"std", number(s.std)},
          {"last_step", s.last_step}};
}

nlohmann::json job_json(const track::Job& job) {
  nlohmann::json json = {{"id", job.id},
                         {"kind", track::to_string(job.kind)},
                         {"status", track::to_string(job.status)},
                         {"failure_reason", job.failure_reason},
                         {"started_at", job.started_at},
                         {"ended_at", job.ended_at ? nlohmann::json(*job.ended_at) : nullptr},
                         {"command_line", job.command_line},
                         {"archml_version", job.archml_version},
                         {"host", job.process.host},
                         {"pid", job.process.pid}};
  return json;
}

nlohmann::json run_json(const track::RunDetails& run, bool full) {
  auto status = run.status();
  nlohmann::json metrics = nlohmann::json::object();
  for (const auto& [name, summary] : run.metrics) metrics[name] = summary_json(summary);
  nlohmann::json json = {{"id", run.run.id},
                         {"experiment", run.run.experiment},
                         {"name", run.run.name},
                         {"created_at", run.run.created_at},
                         {"status", status ? nlohmann::json(track::to_string(*status)) : nullptr},
                         {"parameters", run.parameters},
                         {"metrics", metrics}};
  if (!full) return json;
  json["jobs"] = nlohmann::json::array();
  for (const auto& job : run.jobs) json["jobs"].push_back(job_json(job));
  json["artifacts"] = nlohmann::json::array();
  for (const auto& a : run.artifacts)
    json["artifacts"].push_back({{"name", a.name},
                                 {"uri", a.uri},
                                 {"media_type", a.media_type},
                                 {"size", a.size},
                                 {"sha256", a.sha256}});
  json["lineage"] = nlohmann::json::array();
  for (const auto& e : run.lineage)
    json["lineage"].push_back({{"job_id", e.job_id},
                               {"source_kind", e.source_kind},
                               {"source", e.source},
                               {"target_kind", e.target_kind},
                               {"target", e.target}});
  return json;
}

nlohmann::json experiment_json(const track::Experiment& e) {
  return {{"id", e.id},
          {"name", e.name},
          {"description", e.description},
          {"created_at", e.created_at},
          {"runs", e.runs}};
}

void print_json(const nlohmann::json& json) {
  std::printf("%s\n", json.dump(2).c_str());
}

}  // namespace archml::cli
